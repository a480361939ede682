import { sign, verify } from 'node:crypto'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { SsoError } from '../errors/index.ts'
import { certificatePublicKeyOf, privateKeyOf } from '../keys/index.ts'
import { xmlLimits } from '../xml/index.ts'
import { refuseUnlessAllowed, type WarningSink } from '../xmldsig/legacy.ts'
import { decodeBase64Strict } from './base64.ts'
import { checkRelayState } from './relay-state.ts'

/** HTTP-Redirect binding (saml-bindings-2.0-os §3.4): DEFLATE + base64 + URL encoding. */
export type RedirectParam = 'SAMLRequest' | 'SAMLResponse'

export const redirectSignatureAlgorithms = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': 'sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
} as const
/** RSA-SHA1: accepted only where legacy crypto is allowed (a per-SP `legacyCrypto`). */
const legacySha1SigAlg = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1'
export type RedirectSigAlg = keyof typeof redirectSignatureAlgorithms
export const defaultRedirectSigAlg: RedirectSigAlg =
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'

export interface EncodeRedirectOptions {
  endpoint: string
  param: RedirectParam
  xml: string
  relayState?: string
  /** Signs the query string (§3.4.4.1) with this PEM key. */
  signingKeyPem?: string
  sigAlg?: RedirectSigAlg
}

/**
 * DEFLATE for the messages sent by Redirect: a 2 KiB window and memLevel 4 instead of zlib's 32 KiB
 * and 8, so each message sets up ≈ 16 KB of compressor state where the defaults allocate, clear and
 * free ≈ 256 KB per request on the thread (issue 22, figure 7: the SP's GET /login). A message of
 * the size sent here compresses about as well; a decoder reads any window (RFC 1951 §2.2 allows up
 * to 32 KiB, and every inflater keeps that much).
 */
const redirectDeflate = { windowBits: 11, memLevel: 4 } as const

/** Builds the URL a browser is redirected to. Existing query parameters of the endpoint are kept. */
export function encodeRedirect(options: EncodeRedirectOptions): string {
  const value = deflateRawSync(Buffer.from(options.xml, 'utf8'), redirectDeflate).toString('base64')
  let query = `${options.param}=${encodeURIComponent(value)}`
  if (options.relayState !== undefined) {
    query += `&RelayState=${encodeURIComponent(options.relayState)}`
  }
  if (options.signingKeyPem) {
    const sigAlg = options.sigAlg ?? defaultRedirectSigAlg
    query += `&SigAlg=${encodeURIComponent(sigAlg)}`
    const signature = sign(
      redirectSignatureAlgorithms[sigAlg],
      Buffer.from(query, 'utf8'),
      privateKeyOf(options.signingKeyPem),
    )
    query += `&Signature=${encodeURIComponent(signature.toString('base64'))}`
  }
  const separator = options.endpoint.includes('?') ? '&' : '?'
  return `${options.endpoint}${separator}${query}`
}

export interface DecodedRedirect {
  xml: string
  relayState: string | undefined
  /** Present when the query carried SigAlg and Signature. */
  signature: { sigAlg: string; value: Buffer; signedOctets: Buffer } | undefined
}

/**
 * Decodes a Redirect-binding query. `rawQuery` is the query string exactly as received (without
 * `?`): the signature covers the original URL-encoded octets, not a re-encoding (§3.4.4.1).
 * The base64 and the inflated XML are both capped before any XML is parsed.
 */
export function decodeRedirect(
  rawQuery: string,
  param: RedirectParam,
  maxBytes = xmlLimits.maxBytes,
): DecodedRedirect {
  const raw = new Map<string, string>()
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const key = eq === -1 ? pair : pair.slice(0, eq)
    // §3.4.4.1: a parameter that appears twice makes the message ambiguous.
    if (raw.has(key)) {
      throw new SsoError(
        'SAML_BINDING_INVALID',
        'HTTP-Redirect',
        `query parameter ${key} appears more than once`,
        {
          parameter: key,
        },
      )
    }
    raw.set(key, eq === -1 ? '' : pair.slice(eq + 1))
  }
  const encoded = raw.get(param)
  if (encoded === undefined || encoded === '') {
    throw new SsoError('SAML_MESSAGE_MISSING', 'HTTP-Redirect', `the query carries no ${param}`, {
      parameter: param,
    })
  }
  const value = urlDecode(encoded, param)
  if (value.length > Math.ceil((maxBytes * 4) / 3) + 4) {
    throw new SsoError('XML_TOO_LARGE', 'HTTP-Redirect', `${param} is larger than the size cap`, {
      maxBytes,
    })
  }
  const deflated = decodeBase64Strict(value, `HTTP-Redirect ${param}`)
  let inflated: Buffer
  try {
    inflated = inflateRawSync(deflated, { maxOutputLength: maxBytes })
  } catch (error) {
    if (error instanceof RangeError) {
      throw new SsoError(
        'SAML_INFLATE_TOO_LARGE',
        'HTTP-Redirect',
        `${param} inflates beyond the cap`,
        {
          maxBytes,
        },
      )
    }
    throw new SsoError(
      'SAML_BINDING_INVALID',
      'HTTP-Redirect',
      `${param} is not valid DEFLATE data`,
      {
        parameter: param,
      },
    )
  }
  const relayStateRaw = raw.get('RelayState')
  const relayState =
    relayStateRaw === undefined ? undefined : urlDecode(relayStateRaw, 'RelayState')
  checkRelayState(relayState)

  const sigAlgRaw = raw.get('SigAlg')
  const signatureRaw = raw.get('Signature')
  let signature: DecodedRedirect['signature']
  if (sigAlgRaw !== undefined || signatureRaw !== undefined) {
    if (sigAlgRaw === undefined || signatureRaw === undefined) {
      throw new SsoError(
        'SAML_BINDING_INVALID',
        'HTTP-Redirect',
        'SigAlg and Signature must come together',
        {},
      )
    }
    const parts = [`${param}=${encoded}`]
    if (relayStateRaw !== undefined) parts.push(`RelayState=${relayStateRaw}`)
    parts.push(`SigAlg=${sigAlgRaw}`)
    signature = {
      sigAlg: urlDecode(sigAlgRaw, 'SigAlg'),
      value: decodeBase64Strict(urlDecode(signatureRaw, 'Signature'), 'HTTP-Redirect Signature'),
      signedOctets: Buffer.from(parts.join('&'), 'utf8'),
    }
  }
  return { xml: inflated.toString('utf8'), relayState, signature }
}

/**
 * Verifies a Redirect-binding query signature with one of the trusted certificates (PEM or
 * base64 DER). Only RSA with SHA-256 or stronger is accepted; RSA-SHA1 too with `allowSha1`.
 */
export function verifyRedirectSignature(
  signature: NonNullable<DecodedRedirect['signature']>,
  trustedCertificates: readonly string[],
  options: { allowSha1?: boolean; onWarning?: WarningSink } = {},
): void {
  let digest: string | undefined = redirectSignatureAlgorithms[signature.sigAlg as RedirectSigAlg]
  if (digest === undefined && signature.sigAlg === legacySha1SigAlg && options.allowSha1) {
    refuseUnlessAllowed(
      new SsoError('SAML_SIGNATURE_SHA1', 'SigAlg', 'the query signature uses RSA-SHA1', {
        sigAlg: signature.sigAlg,
      }),
      { allowed: true, because: 'legacy crypto is allowed', warn: options.onWarning },
    )
    digest = 'sha1'
  }
  if (digest === undefined) {
    throw new SsoError(
      'SAML_SIGNATURE_ALGORITHM_FORBIDDEN',
      'SigAlg',
      'the query signature uses an algorithm that is not allowed',
      { sigAlg: signature.sigAlg, allowed: Object.keys(redirectSignatureAlgorithms) },
    )
  }
  for (const certificate of trustedCertificates) {
    if (
      verify(digest, signature.signedOctets, certificatePublicKeyOf(certificate), signature.value)
    ) {
      return
    }
  }
  throw new SsoError(
    'SAML_REQUEST_SIGNATURE_INVALID',
    'Signature',
    'the query signature does not verify with the registered certificate',
    {
      sigAlg: signature.sigAlg,
    },
  )
}

function urlDecode(value: string, name: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch {
    throw new SsoError(
      'SAML_BINDING_INVALID',
      'HTTP-Redirect',
      `${name} is not valid URL encoding`,
      {
        parameter: name,
      },
    )
  }
}
