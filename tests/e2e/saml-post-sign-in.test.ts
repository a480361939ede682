import { describe, expect, it } from 'vitest'
import { decodeRedirect } from '../../core/saml/redirect.ts'
import { parseXml } from '../../core/xml/index.ts'
import { readAuthnRequest } from '../../idp/sso/authn-request.ts'
import { spSessionCookie } from '../../sp/session/sp-sessions.ts'
import { createInProcessPair, idpUrl, spUrl } from '../fixtures/in-process.ts'

describe('SP-initiated SAML sign-in over HTTP-Redirect → HTTP-POST, in-process', () => {
  it('signs alice in through the login form and shows her name and email', async () => {
    const { agent: newAgent, idp } = await createInProcessPair()
    const agent = newAgent()

    const idpHome = await agent.navigate(`${idpUrl}/`)
    expect(idpHome.document.querySelector('#service-providers')?.text).toContain(
      `${spUrl}/saml/metadata`,
    )
    expect(idpHome.document.querySelector('#users')?.text).toContain('Alice Andersen')
    expect((await agent.request(`${idpUrl}/no-such-page`)).status).toBe(404)

    const home = await agent.navigate(`${spUrl}/`)
    expect(home.document.querySelector('#status')?.text).toContain('not signed in')

    const login = await agent.navigate(`${spUrl}/login?return_url=/account?tab=profile`)
    expect(login.url.startsWith(`${idpUrl}/saml/sso?SAMLRequest=`)).toBe(true)
    expect(login.status).toBe(200)
    expect(login.document.querySelector('#login-form')).not.toBeNull()

    // The AuthnRequest the IdP received names the SP's ACS and carries the return path as RelayState.
    const decoded = decodeRedirect(login.url.split('?')[1] ?? '', 'SAMLRequest')
    const request = readAuthnRequest(parseXml(decoded.xml))
    expect(request.assertionConsumerServiceUrl).toBe(`${spUrl}/saml/acs`)
    expect(request.issuer).toBe(`${spUrl}/saml/metadata`)
    expect(decoded.relayState).toBe('/account?tab=profile')
    expect(idp.serviceProviders.get(request.issuer ?? '')).toBeDefined()

    const landed = await agent.submit(
      login,
      '#login-form',
      { username: 'alice' },
      { name: 'action', value: 'login' },
    )
    // The SP sends the visitor back to where they started; that page does not exist, so go home.
    expect(agent.history.at(-1)?.url).toBe(`${spUrl}/account?tab=profile`)
    expect(landed.status).toBe(404)

    const signedIn = await agent.navigate(`${spUrl}/`)
    expect(signedIn.document.querySelector('#user-name')?.text).toBe('Alice Andersen')
    expect(signedIn.document.querySelector('#user-email')?.text).toBe('alice@example.com')
    expect(signedIn.document.querySelector('#external-id')?.text).toBe('alice')
    expect(signedIn.html).toContain('gold')

    const session = await (await agent.request(`${spUrl}/api/session`)).html
    expect(JSON.parse(session)).toMatchObject({
      signedIn: true,
      subject: {
        nameId: 'alice',
        attributes: { email: ['alice@example.com'], membershipLevel: ['gold'] },
      },
    })
  })

  it('completes a second sign-in from the same browser without the form (IdP session)', async () => {
    const { agent: newAgent } = await createInProcessPair()
    const agent = newAgent()
    const login = await agent.navigate(`${spUrl}/login`)
    await agent.submit(
      login,
      '#login-form',
      { username: 'bob' },
      { name: 'action', value: 'login' },
    )
    // Only the SP session goes (its cookie is dropped); the IdP session lives on. Signing out at
    // the SP would end both: see saml-single-logout.test.ts.
    await agent.jar.setCookie(`${spSessionCookie}=; Max-Age=0; Path=/`, `${spUrl}/`)
    expect((await agent.navigate(`${spUrl}/`)).document.querySelector('#status')?.text).toContain(
      'not signed in',
    )

    const again = await agent.navigate(`${spUrl}/login`)
    expect(again.url).toBe(`${spUrl}/`)
    expect(again.document.querySelector('#user-name')?.text).toBe('Bob Brown')
  })

  it('asks for the password of a user that has one, and refuses a wrong one', async () => {
    const { agent: newAgent } = await createInProcessPair()
    const agent = newAgent()
    const login = await agent.navigate(`${spUrl}/login`)
    const wrong = await agent.submit(
      login,
      '#login-form',
      { username: 'carol', password: 'nope' },
      { name: 'action', value: 'login' },
    )
    expect(wrong.status).toBe(401)
    expect(wrong.document.querySelector('#login-error')?.text).toContain('Wrong password')
    expect(wrong.html).not.toContain('nope')

    const right = await agent.submit(
      wrong,
      '#login-form',
      { username: 'carol', password: 'carol-secret' },
      { name: 'action', value: 'login' },
    )
    expect(right.document.querySelector('#user-name')?.text).toBe('Carol Chen')
  })

  it('shows the SP a non-success status when the user cancels at the IdP', async () => {
    const { agent: newAgent, sp } = await createInProcessPair()
    const agent = newAgent()
    const login = await agent.navigate(`${spUrl}/login`)
    const cancelled = await agent.submit(
      login,
      '#login-form',
      {},
      { name: 'action', value: 'cancel' },
    )
    expect(cancelled.url).toBe(`${spUrl}/saml/acs`)
    expect(cancelled.status).toBe(403)
    expect(cancelled.document.querySelector('#error-code')?.text).toBe('SAML_STATUS_NOT_SUCCESS')
    expect(cancelled.html).toContain('urn:oasis:names:tc:SAML:2.0:status:AuthnFailed')
    expect(JSON.parse((await agent.request(`${spUrl}/api/session`)).html)).toEqual({
      signedIn: false,
    })
    expect(sp.sessions.peek(undefined)).toBeUndefined()
  })

  it('signs in without a form when a headless sign-in is queued through the admin API', async () => {
    const { agent: newAgent, idp } = await createInProcessPair()
    const queued = await idp.app.request('/admin/next-login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'dave' }),
    })
    expect(queued.status).toBe(202)
    const page = await newAgent().navigate(`${spUrl}/login`)
    expect(page.document.querySelector('#user-name')?.text).toBe('Dave Doe')
    expect(page.html).toContain('no email address')
  })

  it('accepts IdP-initiated sign-in only when the SP allows unsolicited responses', async () => {
    const strict = await createInProcessPair()
    const browser = strict.agent()
    const refused = await browser.navigate(
      `${idpUrl}/saml/idp-initiated?sp=${encodeURIComponent(`${spUrl}/saml/metadata`)}`,
    )
    const refusedAfterLogin = await browser.submit(
      refused,
      '#login-form',
      { username: 'alice' },
      { name: 'action', value: 'login' },
    )
    expect(refusedAfterLogin.document.querySelector('#error-code')?.text).toBe(
      'SAML_UNSOLICITED_NOT_ALLOWED',
    )

    const open = await createInProcessPair({ sp: { allowUnsolicited: true } })
    const agent = open.agent()
    const form = await agent.navigate(
      `${idpUrl}/saml/idp-initiated?sp=${encodeURIComponent(`${spUrl}/saml/metadata`)}&RelayState=/welcome`,
    )
    await agent.submit(
      form,
      '#login-form',
      { username: 'alice' },
      { name: 'action', value: 'login' },
    )
    expect(agent.history.at(-1)?.url).toBe(`${spUrl}/welcome`)
    expect((await agent.navigate(`${spUrl}/`)).document.querySelector('#user-name')?.text).toBe(
      'Alice Andersen',
    )
  })
})
