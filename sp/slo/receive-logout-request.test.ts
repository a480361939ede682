import { describe, expect, it } from 'vitest'
import { buildLogoutRequest, type LogoutRequestContent } from '../../core/saml/logout.ts'
import { encodeRedirect } from '../../core/saml/redirect.ts'
import {
  createInProcessPair,
  idpUrl,
  spUrl,
  testCredentials,
} from '../../tests/fixtures/in-process.ts'
import { readPage } from '../../tests/fixtures/read-page.ts'
import { logoutRequestChecks } from './receive-logout-request.ts'

/**
 * Each row of the SP's LogoutRequest check table (logoutRequestChecks), passed and refused with
 * its code, by a LogoutRequest the IdP would send to the SP's SingleLogoutService.
 */
async function sendLogoutRequest(
  change: Partial<LogoutRequestContent> = {},
  options: { signed?: boolean; signer?: 'idp' | 'other'; idpSloUrl?: false } = {},
) {
  const { idp } = await testCredentials()
  // The IdP as the SP knows it, but without the Log Out URL its metadata names.
  const withoutSloUrl = {
    sp: {
      idp: {
        entityId: `${idpUrl}/saml/metadata`,
        ssoUrl: `${idpUrl}/saml/sso`,
        certificates: [idp.certificateBase64],
      },
    },
  }
  const pair = await createInProcessPair(options.idpSloUrl === false ? withoutSloUrl : {})
  const now = pair.clock.now()
  const xml = buildLogoutRequest({
    id: '_logout1',
    issueInstant: now,
    destination: `${spUrl}/saml/slo`,
    issuer: pair.idp.config.entityId,
    nameId: 'alice@example.com',
    sessionIndexes: ['_session1'],
    notOnOrAfter: now + 300_000,
    ...change,
  })
  const key = options.signer === 'other' ? pair.keys.other : pair.keys.idp
  const url = encodeRedirect({
    endpoint: `${spUrl}/saml/slo`,
    param: 'SAMLRequest',
    xml,
    ...(options.signed === false ? {} : { signingKeyPem: key.privateKeyPem }),
  })
  const answer = await pair.sp.app.request(url)
  const page = answer.status < 400 ? undefined : await readPage(answer)
  return {
    status: answer.status,
    location: answer.headers.get('location') ?? '',
    code: page?.document.querySelector('#error-code')?.text,
  }
}

describe("the SP's LogoutRequest checks, in the order they run", () => {
  it('lists the checks in their order', () => {
    expect(logoutRequestChecks.map(([check]) => check)).toEqual([
      'LogoutRequest',
      'Issuer',
      'Destination',
      'NotOnOrAfter',
      'Signature',
      'SingleLogoutService',
    ])
  })

  it('passes a signed LogoutRequest of the IdP and answers at its SingleLogoutService', async () => {
    const answer = await sendLogoutRequest()
    expect(answer.status).toBe(302)
    expect(answer.location.startsWith(`${idpUrl}/saml/slo?SAMLResponse=`)).toBe(true)
  })

  it.each([
    ['no Issuer', { issuer: '' }, 'SAML_LOGOUT_REQUEST_INVALID'],
    ['another Issuer', { issuer: 'https://idp.evil.example/' }, 'SAML_LOGOUT_ISSUER_UNKNOWN'],
    [
      'another Destination',
      { destination: 'https://sp.example/slo' },
      'SAML_LOGOUT_DESTINATION_MISMATCH',
    ],
    [
      'a passed NotOnOrAfter',
      { notOnOrAfter: Date.parse('2030-01-01T11:58:00Z') },
      'SAML_LOGOUT_EXPIRED',
    ],
  ])('refuses %s', async (_, change, code) => {
    const answer = await sendLogoutRequest(change)
    expect(answer.code).toBe(code)
    expect(answer.status).toBeLessThan(500)
  })

  it('refuses an unsigned LogoutRequest, and one signed by another key', async () => {
    expect((await sendLogoutRequest({}, { signed: false })).code).toBe(
      'SAML_LOGOUT_SIGNATURE_MISSING',
    )
    expect((await sendLogoutRequest({}, { signer: 'other' })).code).toBe(
      'SAML_LOGOUT_SIGNATURE_INVALID',
    )
  })
  it("refuses a LogoutRequest it cannot answer: no Log Out URL of the IdP's is configured", async () => {
    const answer = await sendLogoutRequest({}, { idpSloUrl: false })
    expect(answer.code).toBe('SAML_LOGOUT_ENDPOINT_MISSING')
  })
})
