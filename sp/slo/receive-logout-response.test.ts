import { beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import type { Credential } from '../../core/keys/index.ts'
import { statusCodes } from '../../core/saml/constants.ts'
import { buildLogoutResponse, type LogoutResponseContent } from '../../core/saml/logout.ts'
import { decodeLogout } from '../../core/saml/logout-binding.ts'
import { encodeRedirect } from '../../core/saml/redirect.ts'
import { refusalOf } from '../../tests/fixtures/acs-context.ts'
import { idpUrl, spUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { createContactStore } from '../accounts/contacts.ts'
import { createConnection } from '../connection.tsx'
import { parseSpOptions, resolveConnection } from '../options.ts'
import { openSpDatabase } from '../store/database.ts'
import { logoutResponseChecks, receiveLogoutResponse } from './receive-logout-response.ts'

/**
 * Each row of the SP's LogoutResponse check table (logoutResponseChecks), passed and refused
 * with its code, by a LogoutResponse the IdP sends back over HTTP-Redirect.
 */
const now = Date.parse('2030-01-01T12:00:00Z')
let keys: { idp: Credential; sp: Credential; other: Credential }

beforeAll(async () => {
  keys = await testCredentials()
})

/** The SP's context with one LogoutRequest, `_logout1`, waiting for its answer. */
function spContext() {
  const config = parseSpOptions({
    baseUrl: spUrl,
    credential: keys.sp,
    clock: createManualClock(now),
    log: () => {},
    idp: {
      entityId: `${idpUrl}/saml/metadata`,
      ssoUrl: `${idpUrl}/saml/sso`,
      sloUrl: `${idpUrl}/saml/slo`,
      certificates: [keys.idp.certificatePem],
    },
  })
  const db = openSpDatabase()
  const { context } = createConnection(resolveConnection(config), config.campaign, {
    db,
    contacts: createContactStore(db),
    pathPrefix: '',
    siteLinks: [],
  })
  context.pendingLogouts.add('_logout1', now + 300_000)
  return context
}

function logoutResponse(
  change: Partial<LogoutResponseContent> = {},
  signer: Credential | null = keys.idp,
) {
  const xml = buildLogoutResponse({
    id: '_answer1',
    issueInstant: now,
    destination: `${spUrl}/saml/slo`,
    inResponseTo: '_logout1',
    issuer: `${idpUrl}/saml/metadata`,
    status: { code: statusCodes.success },
    ...change,
  })
  const url = encodeRedirect({
    endpoint: `${spUrl}/saml/slo`,
    param: 'SAMLResponse',
    xml,
    ...(signer ? { signingKeyPem: signer.privateKeyPem } : {}),
  })
  return decodeLogout({ binding: 'redirect', rawQuery: url.split('?')[1] ?? '' }, 'SAMLResponse')
}

describe("the SP's LogoutResponse checks, in the order they run", () => {
  it('lists the checks in their order, the signature after the cheap ones', () => {
    expect(logoutResponseChecks.map(([check]) => check)).toEqual([
      'LogoutResponse',
      'Issuer',
      'Destination',
      'Signature',
      'InResponseTo',
      'Status',
    ])
  })

  it('accepts a signed Success answering the request it waits on, once', () => {
    const ctx = spContext()
    expect(receiveLogoutResponse(ctx, logoutResponse()).inResponseTo).toBe('_logout1')
    expect(refusalOf(() => receiveLogoutResponse(ctx, logoutResponse()))).toEqual({
      code: 'SAML_LOGOUT_UNKNOWN_REQUEST',
      check: 'InResponseTo',
    })
  })

  it('LogoutResponse: refuses a response without Issuer', () => {
    expect(
      refusalOf(() => receiveLogoutResponse(spContext(), logoutResponse({ issuer: '' }))).code,
    ).toBe('SAML_LOGOUT_RESPONSE_INVALID')
  })

  it.each([
    ['Issuer', { issuer: 'https://idp.evil.example/' }, 'SAML_LOGOUT_ISSUER_UNKNOWN'],
    ['Destination', { destination: `${spUrl}/other` }, 'SAML_LOGOUT_DESTINATION_MISMATCH'],
    ['InResponseTo', { inResponseTo: '_never-sent' }, 'SAML_LOGOUT_UNKNOWN_REQUEST'],
    [
      'Status',
      { status: { code: statusCodes.responder, subCode: statusCodes.partialLogout } },
      'SAML_LOGOUT_STATUS_NOT_SUCCESS',
    ],
  ])('%s: refused with its code', (check, change, code) => {
    expect(refusalOf(() => receiveLogoutResponse(spContext(), logoutResponse(change)))).toEqual({
      code,
      check,
    })
  })

  it('Signature: refuses an unsigned response and one signed by another key', () => {
    expect(refusalOf(() => receiveLogoutResponse(spContext(), logoutResponse({}, null))).code).toBe(
      'SAML_LOGOUT_SIGNATURE_MISSING',
    )
    expect(
      refusalOf(() => receiveLogoutResponse(spContext(), logoutResponse({}, keys.other))).code,
    ).toBe('SAML_LOGOUT_SIGNATURE_INVALID')
  })

  it('refuses on the cheap checks before it verifies a signature (catalogue case 38)', () => {
    const forged = logoutResponse({ destination: `${spUrl}/other` }, keys.other)
    expect(refusalOf(() => receiveLogoutResponse(spContext(), forged)).code).toBe(
      'SAML_LOGOUT_DESTINATION_MISMATCH',
    )
  })
})
