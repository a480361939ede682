import { describe, expect, it } from 'vitest'
import type { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { spSessionCookie } from '../../sp/session/sp-sessions.ts'
import { createInProcessPair, idpUrl, spUrl } from '../fixtures/in-process.ts'
import { formToken } from '../fixtures/visitor.ts'

const login = { name: 'action', value: 'login' }

async function session(agent: UserAgent) {
  return JSON.parse((await agent.request(`${spUrl}/api/session`)).html)
}

describe('OpenID Connect sign-in at the reference SP, in-process', () => {
  it('code flow with PKCE through discovery: carol signs in, userinfo claims become attributes', async () => {
    const { agent: newAgent, log } = await createInProcessPair({ protocol: 'oidc' })
    const agent = newAgent()
    const form = await agent.navigate(`${spUrl}/login?return_url=/account?tab=profile`)
    const request = new URL(form.url)
    expect(request.origin + request.pathname).toBe(`${idpUrl}/oidc/authorize`)
    expect(Object.fromEntries(request.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: spUrl,
      redirect_uri: `${spUrl}/oidc/callback`,
      scope: 'openid profile email phone membership',
      code_challenge_method: 'S256',
    })
    for (const name of ['state', 'nonce', 'code_challenge']) {
      expect(request.searchParams.get(name)?.length).toBeGreaterThanOrEqual(32)
    }
    expect(form.document.querySelector('#login-form')).not.toBeNull()

    await agent.submit(form, '#login-form', { username: 'carol', password: 'carol-secret' }, login)
    const callback = agent.history.find((entry) => entry.url.startsWith(`${spUrl}/oidc/callback`))
    expect(new URL(callback?.url ?? '').searchParams.get('iss')).toBe(idpUrl)
    expect(agent.history.at(-1)?.url).toBe(`${spUrl}/account?tab=profile`)

    expect(await session(agent)).toMatchObject({
      signedIn: true,
      subject: {
        nameId: 'carol',
        issuer: idpUrl,
        attributes: {
          name: ['Carol Chen'],
          email: ['carol@example.org'],
          membershipLevel: ['vip'],
          customerNumber: ['C-1003'],
          customRoles: ['beta-tester', 'moderator'],
        },
      },
    })
    const subject = (await session(agent)).subject
    expect(subject.attributes).not.toHaveProperty('nonce')
    expect(subject.attributes).not.toHaveProperty('at_hash')
    const home = await agent.navigate(`${spUrl}/`)
    expect(home.document.querySelector('#user-name')?.text).toBe('Carol Chen')
    expect(log.join('\n')).not.toMatch(/eyJ[\w-]+\./)
  })

  it('explicit endpoints and client_secret_post; a second sign-in needs no form', async () => {
    const { agent: newAgent, sp } = await createInProcessPair({
      protocol: 'oidc',
      oidc: { discovery: false, clientAuthentication: 'client_secret_post' },
    })
    expect(sp.config.oidc).toMatchObject({
      discovery: false,
      tokenUrl: `${idpUrl}/oidc/token`,
      jwksUrl: `${idpUrl}/oidc/jwks`,
    })
    const agent = newAgent()
    const form = await agent.navigate(`${spUrl}/login`)
    await agent.submit(form, '#login-form', { username: 'alice' }, login)
    expect((await session(agent)).subject.attributes.phone_number).toEqual(['+1 555 0100'])
    await agent.jar.setCookie(`${spSessionCookie}=; Max-Age=0; Path=/`, `${spUrl}/`)
    const again = await agent.navigate(`${spUrl}/login`)
    expect(again.url).toBe(`${spUrl}/`)
    expect(again.document.querySelector('#user-name')?.text).toBe('Alice Andersen')
  })

  it('OAuth2 mode: custom parameter names out, custom claim names in, no ID token', async () => {
    const { agent: newAgent } = await createInProcessPair({
      protocol: 'oidc',
      oidc: { mode: 'oauth2' },
    })
    const agent = newAgent()
    const form = await agent.navigate(`${spUrl}/login`)
    const request = new URL(form.url)
    expect(request.searchParams.get('app_id')).toBe(spUrl)
    expect(request.searchParams.get('callback_url')).toBe(`${spUrl}/oidc/callback`)
    expect(request.searchParams.get('client_id')).toBeNull()
    expect(request.searchParams.get('nonce')).toBeNull()
    await agent.submit(form, '#login-form', { username: 'bob' }, login)
    expect(await session(agent)).toMatchObject({
      signedIn: true,
      subject: {
        nameId: 'bob',
        attributes: {
          email: ['bob@example.com'],
          name: ['Bob Brown'],
          membershipLevel: ['standard'],
        },
      },
    })
    const { attributes } = (await session(agent)).subject
    expect(attributes).not.toHaveProperty('mail')
    expect(attributes).not.toHaveProperty('user_id')
  })

  it('a cancelled sign-in comes back as the IdP error, and no session starts', async () => {
    const { agent: newAgent } = await createInProcessPair({ protocol: 'oidc' })
    const agent = newAgent()
    const form = await agent.navigate(`${spUrl}/login`)
    const page = await agent.submit(form, '#login-form', {}, { name: 'action', value: 'cancel' })
    expect(page.status).toBe(403)
    expect(page.document.querySelector('#error-code')?.text).toBe('OIDC_AUTHORIZATION_ERROR')
    expect(page.html).toContain('access_denied')
    expect(await session(agent)).toEqual({ signedIn: false })
  })
})

describe('OIDC logout', () => {
  it.each(['oidc', 'oauth2'] as const)(
    '%s: visitor logout ends both sessions through end_session and comes back to the SP',
    async (mode) => {
      const { agent: newAgent, idp } = await createInProcessPair({
        protocol: 'oidc',
        oidc: { mode },
      })
      const agent = newAgent()
      const form = await agent.navigate(`${spUrl}/login`)
      await agent.submit(form, '#login-form', { username: 'alice' }, login)
      const home = await agent.navigate(`${spUrl}/`)
      const out = await agent.submit(home, 'form[action="/logout"]')
      const endSession = agent.history.find((entry) =>
        entry.url.startsWith(`${idpUrl}/oidc/end-session`),
      )
      const params = new URL(endSession?.url ?? '').searchParams
      expect(params.get('post_logout_redirect_uri')).toBe(`${spUrl}/`)
      expect(params.get('client_id')).toBe(spUrl)
      expect(params.has('id_token_hint')).toBe(mode === 'oidc')
      expect(out.url).toBe(`${spUrl}/`)
      expect(out.document.querySelector('#status')?.text).toContain('not signed in')
      expect(idp.sessions.forUser('alice')).toEqual([])
      const again = await agent.navigate(`${spUrl}/login`)
      expect(again.document.querySelector('#login-form')).not.toBeNull()
    },
  )

  it('comes back to the page the visitor signed out from (return_url through end_session state)', async () => {
    const { agent: newAgent } = await createInProcessPair({ protocol: 'oidc' })
    const agent = newAgent()
    const form = await agent.navigate(`${spUrl}/login`)
    await agent.submit(form, '#login-form', { username: 'alice' }, login)
    const out = await agent.navigate(`${spUrl}/logout`, {
      method: 'POST',
      form: { form_token: await formToken(agent), return_url: '/help?topic=billing' },
      from: `${spUrl}/help`,
    })
    expect(out.url).toBe(`${spUrl}/help?topic=billing`)
    const endSession = agent.history.find((entry) =>
      entry.url.startsWith(`${idpUrl}/oidc/end-session`),
    )
    expect(new URL(endSession?.url ?? '').searchParams.get('post_logout_redirect_uri')).toBe(
      `${spUrl}/`,
    )
    // The state is used once: coming back to it again lands on the home page itself.
    const state = new URL(endSession?.url ?? '').searchParams.get('state')
    const replayed = await agent.navigate(`${spUrl}/?state=${state}`)
    expect(replayed.url).toBe(`${spUrl}/?state=${state}`)
    expect(await session(agent)).toEqual({ signedIn: false })
  })
})
