import { sign } from 'node:crypto'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { testCredentials } from '../../tests/fixtures/in-process.ts'
import { SsoError } from '../errors/index.ts'
import { decodeRedirect, encodeRedirect, verifyRedirectSignature } from './redirect.ts'

const xml =
  '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1" Version="2.0"/>'

function codeOf(action: () => unknown): string | undefined {
  try {
    action()
    return undefined
  } catch (error) {
    if (error instanceof SsoError) return error.code
    throw error
  }
}

const queryOf = (url: string) => url.slice(url.indexOf('?') + 1)

describe('HTTP-Redirect binding', () => {
  it('round-trips the message and RelayState, keeping the endpoint’s own query', () => {
    const url = encodeRedirect({
      endpoint: 'https://idp.example/sso?tenant=a',
      param: 'SAMLRequest',
      xml,
      relayState: '/a b?c=d&e',
    })
    expect(url.startsWith('https://idp.example/sso?tenant=a&SAMLRequest=')).toBe(true)
    const decoded = decodeRedirect(queryOf(url), 'SAMLRequest')
    expect(decoded.xml).toBe(xml)
    expect(decoded.relayState).toBe('/a b?c=d&e')
    expect(decoded.signature).toBeUndefined()
  })

  it('deflates with a 2 KiB window: a decoder that keeps only that much reads the message', () => {
    // Repeats 2.3 KB apart, which a 32 KiB window points back to; in 64-byte output chunks the
    // decoder can look back only as far as its 2 KiB window (else: invalid distance too far back).
    const block = Array.from({ length: 200 }, (_, i) => `<a n="${i}"/>`).join('')
    const long = `<r>${block}${block}</r>`
    const url = encodeRedirect({
      endpoint: 'https://idp.example/sso',
      param: 'SAMLRequest',
      xml: long,
    })
    const deflated = Buffer.from(new URL(url).searchParams.get('SAMLRequest') ?? '', 'base64')
    expect(inflateRawSync(deflated, { windowBits: 11, chunkSize: 64 }).toString('utf8')).toBe(long)
    expect(decodeRedirect(queryOf(url), 'SAMLRequest').xml).toBe(long)
  })

  it('signs the raw query octets and verifies them with the certificate only', async () => {
    const { sp, other } = await testCredentials()
    const url = encodeRedirect({
      endpoint: 'https://idp.example/sso',
      param: 'SAMLRequest',
      xml,
      relayState: 'rs',
      signingKeyPem: sp.privateKeyPem,
    })
    const decoded = decodeRedirect(queryOf(url), 'SAMLRequest')
    expect(decoded.signature?.sigAlg).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256')
    const signature = decoded.signature as NonNullable<typeof decoded.signature>
    expect(() => verifyRedirectSignature(signature, [sp.certificatePem])).not.toThrow()
    expect(() => verifyRedirectSignature(signature, [sp.certificateBase64])).not.toThrow()
    expect(codeOf(() => verifyRedirectSignature(signature, [other.certificatePem]))).toBe(
      'SAML_REQUEST_SIGNATURE_INVALID',
    )

    // Changing RelayState after signing breaks the signature.
    const tampered = queryOf(url).replace('RelayState=rs', 'RelayState=evil')
    const changed = decodeRedirect(tampered, 'SAMLRequest').signature as NonNullable<
      typeof decoded.signature
    >
    expect(codeOf(() => verifyRedirectSignature(changed, [sp.certificatePem]))).toBe(
      'SAML_REQUEST_SIGNATURE_INVALID',
    )
  })

  it('refuses SHA-1 query signatures', async () => {
    const { sp } = await testCredentials()
    const url = encodeRedirect({
      endpoint: 'https://idp.example/sso',
      param: 'SAMLRequest',
      xml,
      signingKeyPem: sp.privateKeyPem,
    })
    const weak = queryOf(url).replace(
      encodeURIComponent('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'),
      encodeURIComponent('http://www.w3.org/2000/09/xmldsig#rsa-sha1'),
    )
    const signature = decodeRedirect(weak, 'SAMLRequest').signature as NonNullable<
      ReturnType<typeof decodeRedirect>['signature']
    >
    expect(codeOf(() => verifyRedirectSignature(signature, [sp.certificatePem]))).toBe(
      'SAML_SIGNATURE_ALGORITHM_FORBIDDEN',
    )
  })

  it('accepts an RSA-SHA1 query signature only with allowSha1, as a warning', async () => {
    const { sp } = await testCredentials()
    const unsigned = queryOf(
      encodeRedirect({ endpoint: 'https://idp.example/sso', param: 'SAMLRequest', xml }),
    )
    const signedPart = `${unsigned}&SigAlg=${encodeURIComponent('http://www.w3.org/2000/09/xmldsig#rsa-sha1')}`
    const value = sign('sha1', Buffer.from(signedPart), sp.privateKeyPem).toString('base64')
    const query = `${signedPart}&Signature=${encodeURIComponent(value)}`
    const signature = decodeRedirect(query, 'SAMLRequest').signature as NonNullable<
      ReturnType<typeof decodeRedirect>['signature']
    >
    expect(codeOf(() => verifyRedirectSignature(signature, [sp.certificatePem]))).toBe(
      'SAML_SIGNATURE_ALGORITHM_FORBIDDEN',
    )
    const warnings: string[] = []
    const onWarning = (warning: { code: string }) => warnings.push(warning.code)
    expect(
      codeOf(() =>
        verifyRedirectSignature(signature, [sp.certificatePem], { allowSha1: true, onWarning }),
      ),
    ).toBeUndefined()
    expect(warnings).toEqual(['SAML_SIGNATURE_SHA1'])
  })

  it('refuses a deflate bomb before inflating past the cap', () => {
    const bomb = deflateRawSync(Buffer.alloc(5 * 1024 * 1024, 0x20)).toString('base64')
    expect(bomb.length).toBeLessThan(20_000)
    expect(
      codeOf(() => decodeRedirect(`SAMLRequest=${encodeURIComponent(bomb)}`, 'SAMLRequest')),
    ).toBe('SAML_INFLATE_TOO_LARGE')
  })

  it('refuses oversize base64, bad base64, non-DEFLATE data, repeats and half signatures', () => {
    expect(
      codeOf(() => decodeRedirect(`SAMLRequest=${'A'.repeat(2_000_000)}`, 'SAMLRequest')),
    ).toBe('XML_TOO_LARGE')
    expect(codeOf(() => decodeRedirect('SAMLRequest=%%%', 'SAMLRequest'))).toBe(
      'SAML_BINDING_INVALID',
    )
    expect(codeOf(() => decodeRedirect('SAMLRequest=not*base64', 'SAMLRequest'))).toBe(
      'SAML_BINDING_INVALID',
    )
    expect(
      codeOf(() =>
        decodeRedirect(
          `SAMLRequest=${Buffer.from('plain text').toString('base64')}`,
          'SAMLRequest',
        ),
      ),
    ).toBe('SAML_BINDING_INVALID')
    const ok = queryOf(encodeRedirect({ endpoint: 'https://x/', param: 'SAMLRequest', xml }))
    expect(codeOf(() => decodeRedirect(`${ok}&${ok}`, 'SAMLRequest'))).toBe('SAML_BINDING_INVALID')
    expect(codeOf(() => decodeRedirect(`${ok}&SigAlg=x`, 'SAMLRequest'))).toBe(
      'SAML_BINDING_INVALID',
    )
    expect(codeOf(() => decodeRedirect('RelayState=x', 'SAMLRequest'))).toBe('SAML_MESSAGE_MISSING')
    expect(codeOf(() => decodeRedirect(`${ok}&RelayState=${'x'.repeat(81)}`, 'SAMLRequest'))).toBe(
      'SAML_RELAY_STATE_TOO_LONG',
    )
    expect(
      codeOf(() => decodeRedirect(`${ok}&RelayState=${'x'.repeat(80)}`, 'SAMLRequest')),
    ).toBeUndefined()
  })
})
