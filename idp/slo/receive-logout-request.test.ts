import { describe, expect, it } from 'vitest'
import type { Credential } from '../../core/keys/index.ts'
import { bindings } from '../../core/saml/constants.ts'
import { buildLogoutRequest, type LogoutRequestContent } from '../../core/saml/logout.ts'
import { decodeLogout, type IncomingLogout } from '../../core/saml/logout-binding.ts'
import { encodeRedirect } from '../../core/saml/redirect.ts'
import { refusalOf } from '../../tests/fixtures/acs-context.ts'
import { checkIdpBase, checkIdpContext, checkKeys } from '../../tests/fixtures/idp-check-context.ts'
import { idpLogoutRequestChecks, receiveLogoutRequest } from './receive-logout-request.ts'

/**
 * Each row of the IdP's LogoutRequest check table (idpLogoutRequestChecks), passed and refused
 * with its code, by a LogoutRequest an SP sends over HTTP-Redirect.
 */
const idpBase = checkIdpBase
const signingSp = 'https://signing-sp.example/metadata'
const silentSp = 'https://silent-sp.example/metadata'
const keys = checkKeys()

function idpContext() {
  return checkIdpContext(keys, {
    serviceProviders: [
      {
        entityId: signingSp,
        assertionConsumerServices: [{ location: 'https://signing-sp.example/acs' }],
        certificates: [keys.sp.certificatePem],
        singleLogoutServices: [
          { binding: bindings.redirect, location: 'https://signing-sp.example/slo' },
        ],
      },
      // Registered without a SingleLogoutService, and without certificates.
      {
        entityId: silentSp,
        assertionConsumerServices: [{ location: 'https://silent-sp.example/acs' }],
      },
    ],
  })
}

function logoutRequest(
  change: Partial<LogoutRequestContent> = {},
  signer: Credential | null = keys.sp,
) {
  const xml = buildLogoutRequest({
    id: '_logout1',
    issueInstant: Date.parse('2030-01-01T12:00:00Z'),
    destination: `${idpBase}/saml/slo`,
    issuer: signingSp,
    nameId: 'alice@example.com',
    sessionIndexes: ['_session1'],
    notOnOrAfter: Date.parse('2030-01-01T12:05:00Z'),
    ...change,
  })
  const url = encodeRedirect({
    endpoint: `${idpBase}/saml/slo`,
    param: 'SAMLRequest',
    xml,
    ...(signer ? { signingKeyPem: signer.privateKeyPem } : {}),
  })
  const incoming: IncomingLogout = { binding: 'redirect', rawQuery: url.split('?')[1] ?? '' }
  return decodeLogout(incoming, 'SAMLRequest')
}

describe("the IdP's LogoutRequest checks, in the order they run", () => {
  it('lists the checks in their order', () => {
    expect(idpLogoutRequestChecks.map(([check]) => check)).toEqual([
      'LogoutRequest',
      'Issuer',
      'Destination',
      'NotOnOrAfter',
      'Signature',
      'SingleLogoutService',
    ])
  })

  it('accepts a signed LogoutRequest of a registered SP and answers at its SingleLogoutService', () => {
    const accepted = receiveLogoutRequest(idpContext(), logoutRequest())
    expect(accepted.sp.entityId).toBe(signingSp)
    expect(accepted.endpoint.location).toBe('https://signing-sp.example/slo')
    expect(accepted.request.nameId).toBe('alice@example.com')
    expect(accepted.sessions).toEqual([])
  })

  it.each([
    ['no NameID', { nameId: '' }, 'SAML_LOGOUT_REQUEST_INVALID'],
    [
      'an unregistered Issuer',
      { issuer: 'https://sp.evil.example/' },
      'SAML_LOGOUT_ISSUER_UNKNOWN',
    ],
    [
      'another Destination',
      { destination: 'https://idp.example/other' },
      'SAML_LOGOUT_DESTINATION_MISMATCH',
    ],
    [
      'a passed NotOnOrAfter',
      { notOnOrAfter: Date.parse('2030-01-01T11:58:59Z') },
      'SAML_LOGOUT_EXPIRED',
    ],
  ])('refuses %s', (_, change, code) => {
    expect(refusalOf(() => receiveLogoutRequest(idpContext(), logoutRequest(change))).code).toBe(
      code,
    )
  })

  it('refuses an unsigned request of an SP with certificates, and one signed by another key', () => {
    expect(refusalOf(() => receiveLogoutRequest(idpContext(), logoutRequest({}, null)))).toEqual({
      code: 'SAML_LOGOUT_SIGNATURE_MISSING',
      check: 'Signature',
    })
    expect(
      refusalOf(() => receiveLogoutRequest(idpContext(), logoutRequest({}, keys.other))),
    ).toEqual({
      code: 'SAML_LOGOUT_SIGNATURE_INVALID',
      check: 'Signature',
    })
  })

  it('refuses on the cheap checks before it verifies a signature (catalogue case 38)', () => {
    const forged = logoutRequest({ destination: 'https://idp.example/other' }, keys.other)
    expect(refusalOf(() => receiveLogoutRequest(idpContext(), forged))).toEqual({
      code: 'SAML_LOGOUT_DESTINATION_MISMATCH',
      check: 'Destination',
    })
  })

  it('refuses the request of an SP that registered no SingleLogoutService to answer to', () => {
    const request = logoutRequest({ issuer: silentSp }, null)
    expect(refusalOf(() => receiveLogoutRequest(idpContext(), request))).toEqual({
      code: 'SAML_LOGOUT_ENDPOINT_MISSING',
      check: 'SingleLogoutService',
    })
  })
})
