import { describe, expect, it } from 'vitest'
import type { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { spUrl } from '../../tests/fixtures/in-process.ts'
import { agentPair, signedInAgent } from './test-support.ts'

async function passwordLogin(agent: UserAgent, site: string, loginName: string, password: string) {
  const form = await agent.navigate(`${spUrl}/agent/login/password?site=${site}`)
  return agent.submit(form, '#agent-password-form', { loginName, password })
}

const resetPassword = (
  pair: Awaited<ReturnType<typeof agentPair>>,
  path: string,
  password: string,
) =>
  pair.sp.app.request(`/admin/agents/${path}/password`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password }),
  })

describe('agent password login', () => {
  it('is refused for every agent while SSO is on, even one with a password from before, and points to SSO', async () => {
    const pair = await agentPair()
    const agent = pair.agent()
    const refused = await passwordLogin(agent, '1001', 'anna', 'anna-password')
    expect(refused.status).toBe(403)
    expect(refused.document.querySelector('#error-code')?.text).toBe('AGENT_PASSWORD_LOGIN_OFF')
    expect(refused.document.querySelector('#use-sso')?.getAttribute('href')).toBe(
      '/agent/login?site=1001&return_url=%2Fagent',
    )
    // No reset arms a password while SSO is on.
    expect((await resetPassword(pair, '1001/anna', 'a-brand-new-password')).status).toBe(403)
    const afterReset = await passwordLogin(agent, '1001', 'anna', 'a-brand-new-password')
    expect(afterReset.document.querySelector('#error-code')?.text).toBe('AGENT_PASSWORD_LOGIN_OFF')
    // The same answer whoever asks: the form tells nothing about agents or passwords.
    const stranger = await passwordLogin(agent, '1001', 'nobody', 'whatever-it-is')
    expect(stranger.document.querySelector('#error-code')?.text).toBe('AGENT_PASSWORD_LOGIN_OFF')
    const console = await agent.request(`${spUrl}/agent`)
    expect(console.status).toBe(303)
    expect(pair.log.join('\n')).not.toContain('password-')
  })

  it('works while SSO is off: the login page shows the password form, the agent reaches the console', async () => {
    const pair = await agentPair()
    const agent = pair.agent()
    const form = await agent.navigate(`${spUrl}/agent/login?site=3003`)
    expect(form.document.querySelector('#agent-password-form')).not.toBeNull()
    expect(form.document.querySelector('#sso-on')).toBeNull()
    const page = await agent.submit(form, '#agent-password-form', {
      loginName: 'ines',
      password: 'ines-password',
    })
    expect(page.url).toBe(`${spUrl}/agent`)
    expect(signedInAgent(page)).toBe('ines')
  })

  it.each([
    ['a wrong password', 'ines', 'not-her-password'],
    ['an unknown agent', 'nobody', 'ines-password'],
    ['the login name in another case', 'Ines', 'ines-password'],
  ])('refuses %s with AGENT_PASSWORD_INVALID', async (_, loginName, password) => {
    const pair = await agentPair()
    const agent = pair.agent()
    const page = await passwordLogin(agent, '3003', loginName, password)
    expect(page.status).toBe(401)
    expect(page.document.querySelector('#error-code')?.text).toBe('AGENT_PASSWORD_INVALID')
    expect(pair.log.join('\n')).not.toContain(password)
  })

  it.each(['ines\u3000', 'ines ', '\ufeffines', 'in\u200bes'])(
    'refuses the look-alike login name %j with IDENTIFIER_LOOK_ALIKE, never trimmed to ines',
    async (loginName) => {
      const pair = await agentPair()
      const page = await passwordLogin(pair.agent(), '3003', loginName, 'ines-password')
      expect(page.status).toBe(403)
      expect(page.document.querySelector('#error-code')?.text).toBe('IDENTIFIER_LOOK_ALIKE')
      expect(signedInAgent(page)).toBeUndefined()
    },
  )

  it('asks for the site again when its ID has an invisible character or white space at an end', async () => {
    const pair = await agentPair()
    for (const site of ['3003 ', '3003\u3000', '\u200b3003']) {
      const page = await pair
        .agent()
        .navigate(`${spUrl}/agent/login?site=${encodeURIComponent(site)}`)
      expect(page.status).toBe(400)
      expect(page.document.querySelector('#error-code')?.text).toBe('IDENTIFIER_LOOK_ALIKE')
      expect(page.document.querySelector('#agent-password-form')).toBeNull()
    }
  })

  it('takes a reset password while SSO is off', async () => {
    const pair = await agentPair()
    expect((await resetPassword(pair, '3003/ines', 'reset-by-admin')).status).toBe(200)
    const old = await passwordLogin(pair.agent(), '3003', 'ines', 'ines-password')
    expect(old.document.querySelector('#error-code')?.text).toBe('AGENT_PASSWORD_INVALID')
    const page = await passwordLogin(pair.agent(), '3003', 'ines', 'reset-by-admin')
    expect(signedInAgent(page)).toBe('ines')
    expect(pair.log.join('\n')).not.toContain('reset-by-admin')
  })

  it('refuses an SSO sign-in for a site whose SSO is off', async () => {
    const pair = await agentPair()
    const agent = pair.agent()
    await agent.navigate(`${spUrl}/agent/login?site=3003`)
    const response = await agent.request(`${spUrl}/agent/saml/acs`, {
      method: 'POST',
      form: { SAMLResponse: 'PA==' },
      from: spUrl,
    })
    expect(response.headers.get('location')).toBe(`${spUrl}/agent/login-error?reason=AGENT_SSO_OFF`)
  })
})
