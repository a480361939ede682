import { describe, expect, it } from 'vitest'
import type { Credential } from '../../core/keys/index.ts'
import { encodeRedirect } from '../../core/saml/redirect.ts'
import { type AuthnRequestContent, buildAuthnRequest } from '../../sp/login/build-authn-request.ts'
import { refusalOf } from '../../tests/fixtures/acs-context.ts'
import { checkIdpBase, checkIdpContext, checkKeys } from '../../tests/fixtures/idp-check-context.ts'
import {
  authnRequestChecks,
  type IncomingBinding,
  receiveAuthnRequest,
} from './receive-authn-request.ts'

/**
 * Each row of the IdP's AuthnRequest check table (authnRequestChecks), passed and refused with
 * its code, by requests an SP sends over HTTP-Redirect.
 */
const idpBase = checkIdpBase
const ssoUrl = `${idpBase}/saml/sso`
const plainSp = 'https://plain-sp.example/metadata'
const signingSp = 'https://signing-sp.example/metadata'
const keys = checkKeys()

function registry() {
  return checkIdpContext(keys, {
    serviceProviders: [
      {
        entityId: plainSp,
        assertionConsumerServices: [{ location: 'https://plain-sp.example/acs' }],
      },
      {
        entityId: signingSp,
        assertionConsumerServices: [{ location: 'https://signing-sp.example/acs' }],
        certificates: [keys.sp.certificatePem],
        requireSignedAuthnRequests: true,
      },
    ],
  }).serviceProviders
}

function redirect(
  change: Partial<AuthnRequestContent> = {},
  signer?: Credential,
  edit: (xml: string) => string = (xml) => xml,
): IncomingBinding {
  const xml = buildAuthnRequest({
    id: '_request1',
    issueInstant: Date.parse('2030-01-01T12:00:00Z'),
    destination: ssoUrl,
    issuer: plainSp,
    acsUrl: 'https://plain-sp.example/acs',
    ...change,
  })
  const url = encodeRedirect({
    endpoint: ssoUrl,
    param: 'SAMLRequest',
    xml: edit(xml),
    ...(signer ? { signingKeyPem: signer.privateKeyPem } : {}),
  })
  return { binding: 'redirect', rawQuery: url.split('?')[1] ?? '' }
}

const fromSigningSp = { issuer: signingSp, acsUrl: 'https://signing-sp.example/acs' }
const receive = (incoming: IncomingBinding) => () =>
  receiveAuthnRequest(incoming, registry(), ssoUrl)

describe("the IdP's AuthnRequest checks, in the order they run", () => {
  it('lists the checks in their order, the signature last', () => {
    expect(authnRequestChecks.map(([check]) => check)).toEqual([
      'Binding',
      'AuthnRequest',
      'Issuer',
      'Destination',
      'AssertionConsumerService',
      'Signature',
    ])
  })

  it('accepts an unsigned request of an SP that does not sign, and a signed one of an SP that does', () => {
    const plain = receiveAuthnRequest(redirect(), registry(), ssoUrl)
    expect(plain.sp.entityId).toBe(plainSp)
    expect(plain.acs.location).toBe('https://plain-sp.example/acs')
    expect(plain.signed).toBe(false)
    const signed = receiveAuthnRequest(redirect(fromSigningSp, keys.sp), registry(), ssoUrl)
    expect(signed.sp.entityId).toBe(signingSp)
    expect(signed.signed).toBe(true)
  })

  it('Binding: refuses a query without SAMLRequest', () => {
    const empty: IncomingBinding = { binding: 'redirect', rawQuery: 'RelayState=x' }
    expect(refusalOf(receive(empty)).code).toBe('SAML_MESSAGE_MISSING')
  })

  it('AuthnRequest: refuses a request that is not Version 2.0, and tells whom it claims to be from', () => {
    const heard: (string | undefined)[] = []
    const old = redirect({}, undefined, (xml) => xml.replace('Version="2.0"', 'Version="1.1"'))
    expect(refusalOf(receive(old))).toEqual({ code: 'SAML_REQUEST_INVALID', check: 'AuthnRequest' })
    const unknown = redirect({ issuer: 'https://sp.evil.example/' })
    expect(() =>
      receiveAuthnRequest(unknown, registry(), ssoUrl, (issuer) => heard.push(issuer)),
    ).toThrow()
    expect(heard).toEqual(['https://sp.evil.example/'])
  })

  it('Issuer: refuses an SP that is not registered', () => {
    expect(refusalOf(receive(redirect({ issuer: 'https://sp.evil.example/' })))).toEqual({
      code: 'SAML_REQUEST_UNKNOWN_SP',
      check: 'Issuer',
    })
  })

  it('Destination: refuses another endpoint, and a signed request without one', () => {
    expect(refusalOf(receive(redirect({ destination: `${idpBase}/other` })))).toEqual({
      code: 'SAML_REQUEST_INVALID',
      check: 'Destination',
    })
    const bare = (xml: string) => xml.replace(` Destination="${ssoUrl}"`, '')
    expect(refusalOf(receive(redirect(fromSigningSp, keys.sp, bare)))).toEqual({
      code: 'SAML_REQUEST_INVALID',
      check: 'Destination',
    })
    expect(receiveAuthnRequest(redirect({}, undefined, bare), registry(), ssoUrl).signed).toBe(
      false,
    )
  })

  it('AssertionConsumerService: refuses an ACS URL the SP did not register', () => {
    const elsewhere = redirect({ acsUrl: 'https://sp.evil.example/acs' })
    expect(refusalOf(receive(elsewhere))).toEqual({
      code: 'SAML_REQUEST_ACS_NOT_ALLOWED',
      check: 'AssertionConsumerServiceURL',
    })
  })

  it('Signature: refuses an unsigned request of a signing SP, and one signed by another key', () => {
    expect(refusalOf(receive(redirect(fromSigningSp)))).toEqual({
      code: 'SAML_REQUEST_SIGNATURE_MISSING',
      check: 'Signature',
    })
    expect(refusalOf(receive(redirect(fromSigningSp, keys.other))).code).toBe(
      'SAML_REQUEST_SIGNATURE_INVALID',
    )
  })

  it('refuses on the cheap checks before it verifies a signature (catalogue case 38)', () => {
    const forged = redirect({ ...fromSigningSp, acsUrl: 'https://sp.evil.example/acs' }, keys.other)
    expect(refusalOf(receive(forged)).code).toBe('SAML_REQUEST_ACS_NOT_ALLOWED')
  })
})
