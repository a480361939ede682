import type { Document, Element } from '@xmldom/xmldom'
import type { Context } from 'hono'
import { SsoError } from '../errors/index.ts'
import { firstChildElement, ns, parseXml } from '../xml/index.ts'
import { signElement, verifyElementSignature, type WarningSink } from '../xmldsig/index.ts'
import { bindings } from './constants.ts'
import type { Endpoint } from './metadata-build.ts'
import { decodePost, postForm } from './post.ts'
import {
  type DecodedRedirect,
  decodeRedirect,
  encodeRedirect,
  verifyRedirectSignature,
} from './redirect.ts'

/**
 * How logout messages travel (saml-bindings §3.4 and §3.5): HTTP-Redirect with a query
 * signature, or HTTP-POST with an enveloped signature. Both sides send and receive through here.
 */
export type LogoutParam = 'SAMLRequest' | 'SAMLResponse'

export type IncomingLogout =
  | { binding: 'redirect'; rawQuery: string }
  | { binding: 'post'; form: Record<string, string | File | (string | File)[]> }

export interface DecodedLogout {
  param: LogoutParam
  document: Document
  relayState: string | undefined
  querySignature: DecodedRedirect['signature']
}

/** Which message the request carries; a request carrying both or neither is refused. */
export function logoutParamOf(incoming: IncomingLogout): LogoutParam {
  const has = (name: LogoutParam) =>
    incoming.binding === 'post'
      ? incoming.form[name] !== undefined
      : new URLSearchParams(incoming.rawQuery).has(name)
  const request = has('SAMLRequest')
  const response = has('SAMLResponse')
  if (request === response) {
    throw new SsoError(
      request ? 'SAML_BINDING_INVALID' : 'SAML_MESSAGE_MISSING',
      `HTTP-${incoming.binding === 'post' ? 'POST' : 'Redirect'}`,
      request
        ? 'the request carries both SAMLRequest and SAMLResponse'
        : 'the request carries no SAMLRequest or SAMLResponse',
      {},
    )
  }
  return request ? 'SAMLRequest' : 'SAMLResponse'
}

/** Decodes the binding (size-capped) and parses the XML once, hardened. */
export function decodeLogout(incoming: IncomingLogout, param: LogoutParam): DecodedLogout {
  const decoded =
    incoming.binding === 'redirect'
      ? decodeRedirect(incoming.rawQuery, param)
      : { ...decodePost(incoming.form, param), signature: undefined }
  return {
    param,
    document: parseXml(decoded.xml),
    relayState: decoded.relayState,
    querySignature: decoded.signature,
  }
}

/**
 * saml-profiles §4.4.3: a logout message is signed — by the query signature (HTTP-Redirect) or
 * an enveloped signature on the root (HTTP-POST) — and verified with the sender's registered
 * certificates only. An unsigned message passes only when `required` is false. Returns whether
 * the message was signed.
 */
export function verifyLogoutSignature(
  decoded: DecodedLogout,
  element: Element,
  trustedCertificates: readonly string[],
  required: boolean,
  /** Also accept SHA-1 (the sender's legacy-crypto allowance). */
  options: { allowSha1?: boolean; onWarning?: WarningSink } = {},
): boolean {
  if (!isLogoutSigned(decoded, element)) {
    if (!required) return false
    throw new SsoError(
      'SAML_LOGOUT_SIGNATURE_MISSING',
      'Signature',
      'the logout message is not signed',
      {},
    )
  }
  if (trustedCertificates.length === 0) {
    throw new SsoError(
      'SAML_LOGOUT_SIGNATURE_INVALID',
      'Signature',
      'the logout message is signed, but no certificate is registered to verify it',
      {},
    )
  }
  try {
    if (decoded.querySignature) {
      verifyRedirectSignature(decoded.querySignature, trustedCertificates, options)
    } else verifyElementSignature(element, { trustedCertificates, ...options })
  } catch (error) {
    if (
      error instanceof SsoError &&
      (error.code === 'SAML_REQUEST_SIGNATURE_INVALID' || error.code === 'SAML_SIGNATURE_INVALID')
    ) {
      throw new SsoError(
        'SAML_LOGOUT_SIGNATURE_INVALID',
        error.check,
        'the logout message’s signature does not verify with the registered certificate',
        error.evidence,
      )
    }
    throw error
  }
  return true
}

/** Whether the message carries a signature (query or enveloped), before anything verifies it. */
export function isLogoutSigned(decoded: DecodedLogout, element: Element): boolean {
  return (
    decoded.querySignature !== undefined ||
    firstChildElement(element, ns.ds, 'Signature') !== undefined
  )
}

/** saml-bindings §3.4.5.2 / §3.5.5.2: Destination, when present, is this endpoint; signed messages carry it. */
export function checkLogoutDestination(
  destination: string | undefined,
  expected: string,
  signed: boolean,
): void {
  if (destination === undefined ? signed : destination !== expected) {
    throw new SsoError(
      'SAML_LOGOUT_DESTINATION_MISMATCH',
      'Destination',
      destination === undefined
        ? 'a signed logout message must carry Destination'
        : 'Destination is not this SingleLogoutService',
      { expected, received: destination ?? null },
    )
  }
}

/** What the Destination row of every logout check table promises (IdP and SP, request and response). */
export const logoutDestinationRule =
  'this SingleLogoutService; required when signed (SAML_LOGOUT_DESTINATION_MISMATCH)'

/**
 * The Destination row of a logout check table: the message read so far (none when an earlier row
 * could not read it), checked against this side's SingleLogoutService URL.
 */
export function checkMessageDestination(
  decoded: DecodedLogout,
  message: { destination?: string | undefined; element: Element } | undefined,
  expected: string,
): void {
  const signed = message
    ? isLogoutSigned(decoded, message.element)
    : decoded.querySignature !== undefined
  checkLogoutDestination(message?.destination, expected, signed)
}

/** The endpoint to send logout messages to: HTTP-Redirect preferred, else HTTP-POST. */
export function pickLogoutEndpoint(endpoints: readonly Endpoint[]): Endpoint | undefined {
  return (
    endpoints.find((endpoint) => endpoint.binding === bindings.redirect) ??
    endpoints.find((endpoint) => endpoint.binding === bindings.post)
  )
}

export interface OutgoingLogout {
  endpoint: Endpoint
  param: LogoutParam
  /** The unsigned message and its ID. */
  xml: string
  id: string
  relayState?: string | undefined
  credential: { privateKeyPem: string; certificatePem: string }
}

export type LogoutDelivery =
  | { binding: 'redirect'; url: string }
  | { binding: 'post'; location: string; html: string; form: Record<string, string> }

/**
 * Signs and encodes a logout message for the endpoint's binding. A response goes to the
 * endpoint's ResponseLocation when it has one (saml-metadata §2.2.2).
 */
export function encodeLogout(outgoing: OutgoingLogout): LogoutDelivery {
  const { endpoint, credential } = outgoing
  const location =
    outgoing.param === 'SAMLResponse'
      ? (endpoint.responseLocation ?? endpoint.location)
      : endpoint.location
  const relayState = outgoing.relayState !== undefined ? { relayState: outgoing.relayState } : {}
  if (endpoint.binding === bindings.post) {
    const xml = signElement(outgoing.xml, {
      id: outgoing.id,
      privateKeyPem: credential.privateKeyPem,
      certificatePem: credential.certificatePem,
    })
    return {
      binding: 'post',
      location,
      html: postForm({ action: location, param: outgoing.param, xml, ...relayState }),
      form: {
        [outgoing.param]: Buffer.from(xml, 'utf8').toString('base64'),
        ...(outgoing.relayState !== undefined ? { RelayState: outgoing.relayState } : {}),
      },
    }
  }
  return {
    binding: 'redirect',
    url: encodeRedirect({
      endpoint: location,
      param: outgoing.param,
      xml: outgoing.xml,
      signingKeyPem: credential.privateKeyPem,
      ...relayState,
    }),
  }
}

/** Hands a delivery to the browser: a redirect, or the self-submitting form. */
export function deliverLogout(c: Context, delivery: LogoutDelivery) {
  c.header('Cache-Control', 'no-store')
  return delivery.binding === 'redirect' ? c.redirect(delivery.url, 302) : c.html(delivery.html)
}

/** The query string exactly as received: the query signature covers these octets. */
export function rawQueryOf(url: string): string {
  const index = url.indexOf('?')
  return index === -1 ? '' : url.slice(index + 1)
}
