import { describe, expect, it } from 'vitest'
import type { Credential } from '../../core/keys/index.ts'
import { bindings, statusCodes } from '../../core/saml/constants.ts'
import { buildLogoutResponse, type LogoutResponseContent } from '../../core/saml/logout.ts'
import { decodeLogout } from '../../core/saml/logout-binding.ts'
import { encodeRedirect } from '../../core/saml/redirect.ts'
import { refusalOf } from '../../tests/fixtures/acs-context.ts'
import { checkIdpBase, checkIdpContext, checkKeys } from '../../tests/fixtures/idp-check-context.ts'
import { participantResponseChecks, receiveLogoutResponse } from './receive-logout-response.ts'

/**
 * The IdP's handling of a participant's LogoutResponse: InResponseTo first (else refused), then
 * each row of participantResponseChecks, whose failure counts the SP as not logged out.
 */
const idpBase = checkIdpBase
const signingSp = 'https://signing-sp.example/metadata'
const plainSp = 'https://plain-sp.example/metadata'
const now = Date.parse('2030-01-01T12:00:00Z')
const keys = checkKeys()

/** An IdP waiting on `_logout1`, sent to `asked`. */
function waitingIdp(asked = signingSp, log: (line: string) => void = () => {}) {
  const ctx = checkIdpContext(keys, {
    at: now,
    log,
    serviceProviders: [signingSp, plainSp].map((entityId) => ({
      entityId,
      assertionConsumerServices: [{ location: `${entityId}/acs` }],
      singleLogoutServices: [{ binding: bindings.redirect, location: `${entityId}/slo` }],
      ...(entityId === signingSp ? { certificates: [keys.sp.certificatePem] } : {}),
    })),
  })
  ctx.logoutFlows.wait('_logout1', {
    initiator: { kind: 'idp' },
    remaining: [],
    awaiting: { spEntityId: asked, requestId: '_logout1' },
    confirmed: [],
    failed: [],
    signOff: { outcomes: [], frames: [] },
  })
  return ctx
}

function logoutResponse(
  change: Partial<LogoutResponseContent> = {},
  signer: Credential | null = keys.sp,
) {
  const xml = buildLogoutResponse({
    id: '_answer1',
    issueInstant: now,
    destination: `${idpBase}/saml/slo`,
    inResponseTo: '_logout1',
    issuer: signingSp,
    status: { code: statusCodes.success },
    ...change,
  })
  const url = encodeRedirect({
    endpoint: `${idpBase}/saml/slo`,
    param: 'SAMLResponse',
    xml,
    ...(signer ? { signingKeyPem: signer.privateKeyPem } : {}),
  })
  return decodeLogout({ binding: 'redirect', rawQuery: url.split('?')[1] ?? '' }, 'SAMLResponse')
}

describe("the IdP's LogoutResponse handling", () => {
  it('lists the participant checks in their order, the signature last', () => {
    expect(participantResponseChecks.map(([check]) => check)).toEqual([
      'Issuer',
      'Destination',
      'Signature',
    ])
  })

  it('confirms the SP on a signed Success, and takes the flow once', () => {
    const ctx = waitingIdp()
    const flow = receiveLogoutResponse(ctx, logoutResponse())
    expect(flow.confirmed).toEqual([signingSp])
    expect(flow.failed).toEqual([])
    expect(refusalOf(() => receiveLogoutResponse(ctx, logoutResponse()))).toEqual({
      code: 'SAML_LOGOUT_UNKNOWN_REQUEST',
      check: 'InResponseTo',
    })
  })

  it('refuses a response that answers no request it waits on, and one that is no LogoutResponse', () => {
    const stray = logoutResponse({ inResponseTo: '_never-sent' })
    expect(refusalOf(() => receiveLogoutResponse(waitingIdp(), stray)).code).toBe(
      'SAML_LOGOUT_UNKNOWN_REQUEST',
    )
    const noIssuer = logoutResponse({ issuer: '' })
    expect(refusalOf(() => receiveLogoutResponse(waitingIdp(), noIssuer)).code).toBe(
      'SAML_LOGOUT_RESPONSE_INVALID',
    )
  })

  it('counts a non-success status as not logged out', () => {
    const partial = logoutResponse({ status: { code: statusCodes.responder } })
    expect(receiveLogoutResponse(waitingIdp(), partial).failed).toEqual([signingSp])
  })

  it.each([
    ['Issuer', { issuer: plainSp }, 'sp', 'SAML_LOGOUT_ISSUER_UNKNOWN'],
    ['Destination', { destination: `${idpBase}/other` }, 'sp', 'SAML_LOGOUT_DESTINATION_MISMATCH'],
    ['Signature', {}, 'none', 'SAML_LOGOUT_SIGNATURE_MISSING'],
    ['Signature', {}, 'other', 'SAML_LOGOUT_SIGNATURE_INVALID'],
    // Catalogue case 38: a forged response fails on Destination before its signature is verified.
    [
      'Destination',
      { destination: `${idpBase}/other` },
      'other',
      'SAML_LOGOUT_DESTINATION_MISMATCH',
    ],
  ] as const)('%s: refused, and the SP counts as not logged out', (check, change, signer, code) => {
    const logged: string[] = []
    const ctx = waitingIdp(signingSp, (line) => logged.push(line))
    const key = signer === 'none' ? null : signer === 'other' ? keys.other : keys.sp
    const flow = receiveLogoutResponse(ctx, logoutResponse(change, key))
    expect(flow.failed).toEqual([signingSp])
    expect(flow.confirmed).toEqual([])
    expect(logged.join('\n')).toContain(`${code} (${check})`)
  })

  it('accepts an unsigned response from an SP that registered no certificate', () => {
    const ctx = waitingIdp(plainSp)
    const flow = receiveLogoutResponse(ctx, logoutResponse({ issuer: plainSp }, null))
    expect(flow.confirmed).toEqual([plainSp])
  })
})
