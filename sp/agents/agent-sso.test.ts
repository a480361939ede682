import { describe, expect, it } from 'vitest'
import { spUrl } from '../../tests/fixtures/in-process.ts'
import {
  agentPair,
  agentSignIn,
  loginErrorPage,
  logoutPage,
  reasonOf,
  signedInAgent,
} from './test-support.ts'

const contacts = (pair: Awaited<ReturnType<typeof agentPair>>) =>
  (pair.sp.database.prepare('SELECT count(*) AS n FROM contacts').get() as { n: number }).n

describe('agent SSO sign-in', () => {
  it('SAML: a provisioned agent signs in with siteId and loginName and reaches the console', async () => {
    const pair = await agentPair()
    const before = pair.sp.agentSso?.agents.list().length
    const agent = pair.agent()
    const page = await agentSignIn(agent, 'anna.idp', { site: '1001' })
    expect(page.url).toBe(`${spUrl}/agent`)
    expect(page.document.querySelector('h1')?.text).toBe('Open conversations')
    expect(signedInAgent(page)).toBe('anna')
    expect(page.document.querySelector('#agent-name')?.text).toBe('Anna Agent')
    expect(page.document.querySelector('#agent-site')?.text).toBe('1001')
    // Agents are not visitors: no contact, and no agent was created by the sign-in.
    expect(contacts(pair)).toBe(0)
    expect(pair.sp.agentSso?.agents.list().length).toBe(before)
    expect(pair.log.some((line) => line.includes('agent anna of site 1001 signed in (saml)'))).toBe(
      true,
    )
  })

  it('JWT: the token claims siteId and loginName sign the agent in', async () => {
    const pair = await agentPair()
    const agent = pair.agent()
    const page = await agentSignIn(agent, 'jay.idp', { site: '2002' })
    expect(page.url).toBe(`${spUrl}/agent`)
    expect(signedInAgent(page)).toBe('jay')
    expect(
      agent.history.some(({ url }) => url.startsWith(`${spUrl}/agent/jwt/callback?token=`)),
    ).toBe(true)
  })

  it('without loginName the NameID is the login name', async () => {
    const pair = await agentPair()
    const page = await agentSignIn(pair.agent(), 'bruno', { site: '1001' })
    expect(signedInAgent(page)).toBe('bruno')
  })

  it('without siteId the site comes from the URL', async () => {
    const pair = await agentPair()
    const page = await agentSignIn(pair.agent(), 'carla.idp', { path: '/agent/login?site=1001' })
    expect(page.url).toBe(`${spUrl}/agent`)
    expect(signedInAgent(page)).toBe('carla')
  })

  it.each([
    ['an unknown loginName', 'ghost.idp', 'AGENT_UNKNOWN'],
    ['a loginName in the wrong case', 'anna.upper', 'AGENT_LOGIN_NAME_CASE_MISMATCH'],
    ['another site in siteId', 'otto.idp', 'AGENT_SITE_MISMATCH'],
    ['a disabled agent', 'dora.idp', 'AGENT_DISABLED'],
  ])(
    '%s goes to the login-error page with its reason, signed out, nothing created',
    async (_, user, reason) => {
      const pair = await agentPair()
      const agents = pair.sp.agentSso?.agents.list()
      const agent = pair.agent()
      const page = await agentSignIn(agent, user, { site: '1001' })
      expect(page.url).toBe(`${loginErrorPage}&reason=${reason}`)
      expect(reasonOf(page)).toBe(reason)
      const console = await agent.request(`${spUrl}/agent`)
      expect(console.headers.get('location')).toBe('/agent/login?return_url=%2Fagent')
      expect(pair.sp.agentSso?.agents.list()).toEqual(agents)
      expect(contacts(pair)).toBe(0)
      expect(pair.log.some((line) => line.includes(`refused for site 1001: ${reason}`))).toBe(true)
    },
  )

  it('a sign-in in the other protocol than the site uses goes to the login-error page (AGENT_PROTOCOL_MISMATCH)', async () => {
    const pair = await agentPair()
    const agent = pair.agent()
    // Site 1001 signs in by SAML: this browser started its sign-in there, then a JWT arrives.
    const toIdp = await agent.request(`${spUrl}/agent/login?site=1001`)
    expect(toIdp.status).toBe(302)
    const jwt = await agent.navigate(`${spUrl}/agent/jwt/callback?token=a.b.c`)
    expect(jwt.url).toBe(`${loginErrorPage}&reason=AGENT_PROTOCOL_MISMATCH`)
    expect(reasonOf(jwt)).toBe('AGENT_PROTOCOL_MISMATCH')
    const console = await agent.request(`${spUrl}/agent`)
    expect(console.headers.get('location')).toBe('/agent/login?return_url=%2Fagent')
  })

  it("a refused sign-in of a site without a login-error page shows the SP's own, with the code", async () => {
    const pair = await agentPair()
    pair.idp.users.put({
      id: 'nobody',
      name: 'Nobody',
      attributes: { siteId: '2002', loginName: 'nobody' },
    })
    const page = await agentSignIn(pair.agent(), 'nobody', { site: '2002' })
    expect(page.url).toBe(`${spUrl}/agent/login-error?reason=AGENT_UNKNOWN`)
    expect(page.document.querySelector('#error-code')?.text).toBe('AGENT_UNKNOWN')
  })

  it('a SAML Response is validated by the ACS checks with the site settings: a forged one is refused', async () => {
    const pair = await agentPair()
    const agent = pair.agent()
    const idpPage = await agent.navigate(`${spUrl}/agent/login?site=1001`)
    expect(idpPage.document.querySelector('#login-form')).not.toBeNull()
    const form = await agent.request(`${spUrl}/agent/saml/acs`, {
      method: 'POST',
      form: {
        SAMLResponse: Buffer.from(
          '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>',
        ).toString('base64'),
      },
      from: spUrl,
    })
    expect(form.status).toBe(303)
    expect(form.headers.get('location')).toBe(`${loginErrorPage}&reason=SAML_RESPONSE_INVALID`)
  })

  it('the site question is asked once per browser; later sign-ins go straight to the IdP', async () => {
    const pair = await agentPair()
    const agent = pair.agent()
    const first = await agent.navigate(`${spUrl}/agent`)
    expect(first.document.querySelector('#site-form')).not.toBeNull()
    const unknown = await agent.submit(first, '#site-form', { site: '9999' })
    expect(unknown.status).toBe(400)
    expect(unknown.document.querySelector('#error-code')?.text).toBe('AGENT_SITE_UNKNOWN')
    const idp = await agent.submit(unknown, '#site-form', { site: '1001' })
    expect(idp.document.querySelector('#login-form')).not.toBeNull()
    const signedIn = await agent.submit(
      idp,
      '#login-form',
      { username: 'anna.idp' },
      { name: 'action', value: 'login' },
    )
    expect(signedIn.url).toBe(`${spUrl}/agent`)

    const out = await agent.submit(signedIn, '#agent-logout')
    expect(out.url).toBe(logoutPage)
    // Next time: no question, and the IdP still knows Anna, so no login form either.
    const again = await agent.navigate(`${spUrl}/agent`)
    expect(again.url).toBe(`${spUrl}/agent`)
    expect(signedInAgent(again)).toBe('anna')
    const questions = agent.history.filter(
      ({ url, status }) => url.startsWith(`${spUrl}/agent/login`) && status === 200,
    )
    expect(questions).toHaveLength(1)
  })

  it('logout ends the agent session and lands on the configured logout page', async () => {
    const pair = await agentPair()
    const agent = pair.agent()
    const page = await agentSignIn(agent, 'anna.idp', { site: '1001' })
    const out = await agent.submit(page, '#agent-logout')
    expect(out.url).toBe(logoutPage)
    const back = await agent.request(`${spUrl}/agent`)
    expect(back.status).toBe(303)
    expect(back.headers.get('location')).toBe('/agent/login?return_url=%2Fagent')
  })

  it('without a configured logout page, logout lands on the SP signed-out page', async () => {
    const pair = await agentPair()
    const agent = pair.agent()
    const page = await agentSignIn(agent, 'jay.idp', { site: '2002' })
    const out = await agent.submit(page, '#agent-logout')
    expect(out.url).toBe(`${spUrl}/agent/signed-out`)
    expect(out.document.querySelector('#signed-out')).not.toBeNull()
  })
})

describe('the console behind agent SSO', () => {
  it('sends a page without an agent session to the agent login, keeping where it was going', async () => {
    const pair = await agentPair()
    const agent = pair.agent()
    const response = await agent.request(`${spUrl}/agent/history?external_id=alice`)
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(
      `/agent/login?return_url=${encodeURIComponent('/agent/history?external_id=alice')}`,
    )
    const page = await agentSignIn(agent, 'anna.idp', {
      site: '1001',
      path: '/agent/history?external_id=alice',
    })
    expect(page.url).toBe(`${spUrl}/agent/history?external_id=alice`)
    expect(signedInAgent(page)).toBe('anna')
  })

  it('answers the JSON API without an agent session with 401 AGENT_SESSION_REQUIRED', async () => {
    const pair = await agentPair()
    const response = await pair.agent().request(`${spUrl}/agent/api/conversations`)
    expect(response.status).toBe(401)
    expect(JSON.parse(response.html).error.code).toBe('AGENT_SESSION_REQUIRED')
  })

  it('disabling an agent through the admin API ends their access at once', async () => {
    const pair = await agentPair()
    const agent = pair.agent()
    await agentSignIn(agent, 'anna.idp', { site: '1001' })
    const disabled = await pair.sp.app.request('/admin/agents/1001/anna/disable', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    })
    expect(disabled.status).toBe(200)
    const back = await agent.request(`${spUrl}/agent`)
    expect(back.status).toBe(303)
  })
})
