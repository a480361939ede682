import { describe, expect, it } from 'vitest'
import type { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { createInProcessPair, idpUrl, spUrl } from '../../tests/fixtures/in-process.ts'
import { queueIdpLogin } from '../../tests/fixtures/visitor.ts'
import type { Idp } from '../create-idp.tsx'

/**
 * Catalogue case 38: a queued headless sign-in is used up by the sign-in request it was meant
 * for — accepted or refused — and, when the caller names an SP, only a request of that SP takes
 * it. A refused request must never leave it to sign an unrelated browser in later.
 */
async function queue(idp: Idp, body: Record<string, string>) {
  return idp.app.request('/admin/next-login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/** A stranger's sign-in at the SP: whom it ends as, or the IdP login form. */
async function strangerSignsIn(agent: UserAgent): Promise<string> {
  const page = await agent.navigate(`${spUrl}/login`)
  if (page.document.querySelector('#login-form')) return 'login form'
  const session = JSON.parse((await agent.request(`${spUrl}/api/session`)).html)
  return session.signedIn ? session.subject.nameId : 'not signed in'
}

describe('queued headless sign-ins (POST /admin/next-login)', () => {
  it.each([
    ['an undecodable SAMLRequest', `${idpUrl}/saml/sso?SAMLRequest=garbage`, 'saml'],
    [
      'an IdP-initiated sign-in for an unknown SP',
      `${idpUrl}/saml/idp-initiated?sp=https%3A%2F%2Fnobody.example%2F`,
      'saml',
    ],
    [
      'a JWT login to an unregistered return_url',
      `${idpUrl}/jwt/login?return_url=https%3A%2F%2Fevil.example%2F`,
      'jwt',
    ],
    [
      'an OIDC authorization request of an unknown client',
      `${idpUrl}/oidc/authorize?client_id=nobody&response_type=code`,
      'oidc',
    ],
  ] as const)('are used up by %s that the IdP refuses', async (_, refusedUrl, protocol) => {
    const pair = await createInProcessPair({ protocol })
    expect((await queue(pair.idp, { userId: 'bob' })).status).toBe(202)
    const refused = await pair.agent().request(refusedUrl)
    expect(refused.status).toBeGreaterThanOrEqual(300)
    expect(pair.idp.queuedLogins().length).toBe(0)
    expect(await strangerSignsIn(pair.agent())).toBe('login form')
  })

  it('are used up by the sign-in they complete, once', async () => {
    const pair = await createInProcessPair()
    await queueIdpLogin(pair.idp, 'bob')
    expect(await strangerSignsIn(pair.agent())).toBe('bob')
    expect(await strangerSignsIn(pair.agent())).toBe('login form')
  })

  it('scoped to an SP, wait for a request of that SP; others neither take nor use them', async () => {
    const pair = await createInProcessPair({ protocol: 'oidc' })
    const clientId = pair.sp.config.oidc?.clientId ?? ''
    const samlSp = `${spUrl}/saml/metadata`
    expect((await queue(pair.idp, { userId: 'bob', sp: samlSp })).status).toBe(202)
    // The SP signs in by OIDC: its client is not the SAML SP the login was queued for.
    expect(await strangerSignsIn(pair.agent())).toBe('login form')
    expect(pair.idp.queuedLogins()).toEqual([{ userId: 'bob', sp: samlSp }])
    // A refused request of another client leaves it; one naming the SAML SP uses it up.
    await pair.agent().request(`${idpUrl}/oidc/authorize?client_id=${encodeURIComponent(clientId)}`)
    expect(pair.idp.queuedLogins().length).toBe(1)
    await pair.agent().request(`${idpUrl}/saml/idp-initiated?sp=${encodeURIComponent(samlSp)}`)
    expect(pair.idp.queuedLogins().length).toBe(0)
    // Queued for the OIDC client, it signs that client's next visitor in.
    expect((await queue(pair.idp, { userId: 'carol', sp: clientId })).status).toBe(202)
    expect(await strangerSignsIn(pair.agent())).toBe('carol')
  })

  it('refuse an SP the IdP does not know with CONFIG_INVALID (sp), queuing nothing', async () => {
    const pair = await createInProcessPair()
    const answer = await queue(pair.idp, { userId: 'bob', sp: 'https://nobody.example/' })
    expect(answer.status).toBe(400)
    expect(
      ((await answer.json()) as { error: { code: string; check: string } }).error,
    ).toMatchObject({
      code: 'CONFIG_INVALID',
      check: 'sp',
    })
    expect(pair.idp.queuedLogins().length).toBe(0)
  })
})
