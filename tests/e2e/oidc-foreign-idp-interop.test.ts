import { OAuth2Server } from 'oauth2-mock-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { createSp } from '../../sp/create-sp.tsx'
import { spUrl, testCredentials } from '../fixtures/in-process.ts'

// The reference SP against an OpenID Connect provider nobody here wrote (oauth2-mock-server on
// loopback). It signs everyone in as "johndoe" without a form, on the real clock.
describe('the reference SP against oauth2-mock-server', () => {
  const server = new OAuth2Server()
  let issuer: string

  beforeAll(async () => {
    await server.issuer.keys.generate('RS256')
    await server.start(0, '127.0.0.1')
    issuer = server.issuer.url ?? ''
  })
  afterAll(async () => {
    await server.stop()
  })

  async function pair() {
    const keys = await testCredentials()
    const log: string[] = []
    const sp = createSp({
      baseUrl: spUrl,
      credential: keys.sp,
      protocol: 'oidc',
      oidc: {
        issuer,
        clientId: 'ssoproof-sp',
        clientSecret: 'ssoproof-sp-secret',
        scope: 'openid profile',
      },
      log: (line) => log.push(line),
    })
    return { sp, log, agent: new UserAgent({ origins: { [spUrl]: sp.app.fetch } }) }
  }

  it('discovers the provider, runs the code flow with PKCE and nonce, calls userinfo, and logs out', async () => {
    const { agent } = await pair()
    const home = await agent.navigate(`${spUrl}/login?return_url=/account`)
    expect(agent.history.some((entry) => entry.url.startsWith(`${issuer}/authorize?`))).toBe(true)
    expect(home.url).toBe(`${spUrl}/account`)
    const session = JSON.parse((await agent.request(`${spUrl}/api/session`)).html)
    expect(session).toMatchObject({ signedIn: true, subject: { nameId: 'johndoe', issuer } })

    const page = await agent.navigate(`${spUrl}/`)
    const out = await agent.submit(page, 'form[action="/logout"]')
    const endSession = agent.history.find((entry) => entry.url.startsWith(`${issuer}/endsession`))
    expect(new URL(endSession?.url ?? '').searchParams.get('id_token_hint')).toMatch(/^eyJ/)
    expect(out.url).toBe(`${spUrl}/`)
    expect(out.document.querySelector('#status')?.text).toContain('not signed in')
  })

  it('refuses userinfo about another user', async () => {
    const { agent } = await pair()
    server.service.once('beforeUserinfo', (userinfo) => {
      userinfo.body = { sub: 'someone-else' }
    })
    const page = await agent.navigate(`${spUrl}/login`)
    expect(page.document.querySelector('#error-code')?.text).toBe('OIDC_USERINFO_SUB_MISMATCH')
  })

  it('refuses an ID token for another audience', async () => {
    const { agent } = await pair()
    // The access token is signed first; only the ID token names the client as its audience.
    const retarget = (token: { payload: Record<string, unknown> }) => {
      if (token.payload.aud === 'ssoproof-sp') token.payload.aud = 'another-client'
    }
    server.service.on('beforeTokenSigning', retarget)
    try {
      const page = await agent.navigate(`${spUrl}/login`)
      expect(page.document.querySelector('#error-code')?.text).toBe('JWT_AUDIENCE_MISMATCH')
    } finally {
      server.service.off('beforeTokenSigning', retarget)
    }
  })
})
