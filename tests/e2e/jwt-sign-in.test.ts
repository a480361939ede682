import { createRemoteJWKSet, customFetch, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import type { Page, UserAgent } from '../../harness/http-driver/user-agent.ts'
import { idpSessionCookie } from '../../idp/session/idp-sessions.ts'
import { spSessionCookie } from '../../sp/session/sp-sessions.ts'
import { createInProcessPair, idpUrl, spUrl } from '../fixtures/in-process.ts'

const login = { name: 'action', value: 'login' }

async function session(agent: UserAgent) {
  return JSON.parse((await agent.request(`${spUrl}/api/session`)).html)
}

/** The token the IdP appended to the SP's callback URL in this agent's history. */
function tokenFrom(agent: UserAgent): string {
  const callback = agent.history.find((entry) => entry.url.startsWith(`${spUrl}/jwt/callback?`))
  const token = callback ? new URL(callback.url).searchParams.get('token') : null
  if (!token) throw new Error('no token reached the SP callback')
  return token
}

async function signIn(agent: UserAgent, username: string, extra: Record<string, string> = {}) {
  const form = await agent.navigate(`${spUrl}/login?return_url=/account?tab=profile`)
  expect(form.url.startsWith(`${idpUrl}/jwt/login?return_url=`)).toBe(true)
  expect(form.document.querySelector('#login-form')).not.toBeNull()
  return agent.submit(form, '#login-form', { username, ...extra }, login)
}

describe('JWT token SSO, SP-initiated, in-process', () => {
  it('RS256 with the IdP certificate: alice signs in through the form and lands where she started', async () => {
    const { agent: newAgent } = await createInProcessPair({ protocol: 'jwt' })
    const agent = newAgent()
    const form = await agent.navigate(`${spUrl}/login?return_url=/account?tab=profile`)
    // The remote login URL gets return_url = the SP callback, carrying the visitor's own path.
    const returnUrl = new URL(form.url).searchParams.get('return_url')
    expect(returnUrl).toBe(`${spUrl}/jwt/callback?return_url=%2Faccount%3Ftab%3Dprofile`)
    expect(form.html).toContain(spUrl)

    await agent.submit(form, '#login-form', { username: 'alice' }, login)
    // The token was appended to return_url, its own query kept (inSided step 4).
    const callback = agent.history.find((entry) => entry.url.startsWith(`${spUrl}/jwt/callback`))
    expect(callback?.url).toMatch(
      /^http:\/\/127\.0\.0\.1:7100\/jwt\/callback\?return_url=%2Faccount%3Ftab%3Dprofile&token=[\w-]+\.[\w-]+\.[\w-]+$/,
    )
    expect(agent.history.at(-1)?.url).toBe(`${spUrl}/account?tab=profile`)

    const token = tokenFrom(agent)
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'JWT' })
    const claims = decodeJwt(token)
    expect(claims).toMatchObject({
      iss: idpUrl,
      aud: spUrl,
      sub: 'alice',
      id: 'alice',
      username: 'Alice Andersen',
      email: 'alice@example.com',
      membershipLevel: 'gold',
    })
    expect(claims.exp).toBe((claims.iat ?? 0) + 300)
    expect(typeof claims.jti).toBe('string')

    expect(await session(agent)).toMatchObject({
      signedIn: true,
      subject: {
        nameId: 'alice',
        issuer: idpUrl,
        attributes: { email: ['alice@example.com'], customerNumber: ['C-1001'] },
      },
    })
    const home = await agent.navigate(`${spUrl}/`)
    expect(home.document.querySelector('#user-name')?.text).toBe('Alice Andersen')
    expect(home.document.querySelector('#external-id')?.text).toBe('alice')
  })

  it('ES256 through the JWKS URL: carol signs in with her password; customRoles become one value each', async () => {
    const { agent: newAgent } = await createInProcessPair({
      protocol: 'jwt',
      jwt: { algorithm: 'ES256' },
    })
    const agent = newAgent()
    const wrong = await signIn(agent, 'carol', { password: 'nope' })
    expect(wrong.status).toBe(401)
    await agent.submit(wrong, '#login-form', { username: 'carol', password: 'carol-secret' }, login)
    const token = tokenFrom(agent)
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256' })
    expect(decodeProtectedHeader(token).kid).toEqual(expect.any(String))
    expect(decodeJwt(token).customRoles).toBe('beta-tester,moderator')
    expect((await session(agent)).subject).toMatchObject({
      nameId: 'carol',
      attributes: { customRoles: ['beta-tester', 'moderator'] },
    })
  })

  it('HS256 with a shared secret', async () => {
    const { agent: newAgent } = await createInProcessPair({
      protocol: 'jwt',
      jwt: { algorithm: 'HS256' },
    })
    const agent = newAgent()
    await signIn(agent, 'bob')
    expect(decodeProtectedHeader(tokenFrom(agent)).alg).toBe('HS256')
    expect((await session(agent)).subject.nameId).toBe('bob')
  })

  it('RS256 through the JWKS URL, across a key rotation and the old key’s retirement', async () => {
    const {
      agent: newAgent,
      idp,
      clock,
    } = await createInProcessPair({
      protocol: 'jwt',
      jwt: { algorithm: 'RS256', key: 'jwks' },
    })
    const before = decodeProtectedHeader(await tokenAfterSignIn(newAgent(), 'alice')).kid
    const rotated = await idp.app.request('/admin/keys/rotate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ algorithm: 'RS256' }),
    })
    expect(rotated.status).toBe(200)
    const { key } = (await rotated.json()) as { key: { kid: string; state: string } }
    expect(key.state).toBe('current')
    expect(key.kid).not.toBe(before)
    const jwks = (await (await idp.app.request('/jwt/jwks.json')).json()) as {
      keys: { kid: string }[]
    }
    expect(jwks.keys.map((jwk) => jwk.kid)).toEqual(expect.arrayContaining([before, key.kid]))

    // The SP's cached JWKS lacks the new kid. Right after its last fetch it may not fetch again
    // (the cooldown keeps made-up kids from flooding the IdP)…
    const early = await signIn(newAgent(), 'bob')
    expect(early.status).toBe(403)
    expect(early.document.querySelector('#error-code')?.text).toBe('JWT_KEY_UNKNOWN')
    // …30 s later one refresh finds the new key.
    clock.advance('31s')
    const after = decodeProtectedHeader(await tokenAfterSignIn(newAgent(), 'bob')).kid
    expect(after).toBe(key.kid)

    const retired = await idp.app.request(`/admin/keys/${before}`, { method: 'DELETE' })
    expect(retired.status).toBe(200)
    const current = await idp.app.request(`/admin/keys/${key.kid}`, { method: 'DELETE' })
    expect(current.status).toBe(400)
    const left = (await (await idp.app.request('/jwt/jwks.json')).json()) as {
      keys: { kid: string }[]
    }
    expect(left.keys.map((jwk) => jwk.kid)).not.toContain(before)
  })

  it('signs in a second time without the form while the IdP session lasts; headless sign-in works too', async () => {
    const { agent: newAgent, idp } = await createInProcessPair({ protocol: 'jwt' })
    const agent = newAgent()
    await signIn(agent, 'bob')
    await agent.jar.setCookie(`${spSessionCookie}=; Max-Age=0; Path=/`, `${spUrl}/`)
    const again = await agent.navigate(`${spUrl}/login?return_url=/`)
    expect(again.url).toBe(`${spUrl}/`)
    expect(again.document.querySelector('#user-name')?.text).toBe('Bob Brown')

    const queued = await idp.app.request('/admin/next-login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'dave' }),
    })
    expect(queued.status).toBe(202)
    const headless = await newAgent().navigate(`${spUrl}/login`)
    expect(headless.document.querySelector('#user-name')?.text).toBe('Dave Doe')
  })

  it('tells the SP when the visitor cancels at the IdP, and starts no session', async () => {
    const { agent: newAgent } = await createInProcessPair({ protocol: 'jwt' })
    const agent = newAgent()
    const form = await agent.navigate(`${spUrl}/login`)
    const cancelled = await agent.submit(
      form,
      '#login-form',
      {},
      { name: 'action', value: 'cancel' },
    )
    expect(cancelled.status).toBe(403)
    expect(cancelled.document.querySelector('#error-code')?.text).toBe('JWT_SIGN_IN_FAILED')
    expect(cancelled.html).toContain('access_denied')
    expect(await session(agent)).toEqual({ signedIn: false })
  })

  it('a token works once: the same callback URL again is a replay', async () => {
    const { agent: newAgent } = await createInProcessPair({ protocol: 'jwt' })
    const agent = newAgent()
    await signIn(agent, 'alice')
    const callback = agent.history.find((entry) => entry.url.startsWith(`${spUrl}/jwt/callback`))
    const replayed = await newAgent().navigate(callback?.url ?? '')
    expect(replayed.status).toBe(403)
    expect(replayed.document.querySelector('#error-code')?.text).toBe('JWT_REPLAY')
    expect(replayed.html).not.toContain(tokenFrom(agent))
  })

  it('the IdP token verifies with plain jose against the IdP JWKS URL', async () => {
    const { agent: newAgent, idp } = await createInProcessPair({ protocol: 'jwt' })
    const token = await tokenAfterSignIn(newAgent(), 'alice')
    const jwks = createRemoteJWKSet(new URL(`${idpUrl}/jwt/jwks.json`), {
      [customFetch]: async (url: string) => idp.app.request(url),
    })
    const { payload } = await jwtVerify(token, jwks, {
      issuer: idpUrl,
      audience: spUrl,
      currentDate: new Date('2030-01-01T12:00:30Z'),
    })
    expect(payload.sub).toBe('alice')
    const pem = await idp.app.request('/jwt/certificate.pem')
    expect(await pem.text()).toContain('BEGIN CERTIFICATE')
  })
})

describe('JWT sign-off', () => {
  it('visitor logout ends the SP session and the IdP session, then comes back to the SP', async () => {
    const { agent: newAgent, idp } = await createInProcessPair({ protocol: 'jwt' })
    const agent = newAgent()
    await signIn(agent, 'alice')
    const home = await agent.navigate(`${spUrl}/`)
    const out = await agent.submit(home, 'form[action="/logout"]')
    const signOff = agent.history.find((entry) => entry.url.startsWith(`${idpUrl}/jwt/logout`))
    expect(signOff?.url).toBe(`${idpUrl}/jwt/logout?return_url=${encodeURIComponent(`${spUrl}/`)}`)
    expect(out.url).toBe(`${spUrl}/`)
    expect(out.document.querySelector('#status')?.text).toContain('not signed in')
    expect(idp.sessions.forUser('alice')).toEqual([])
    // The IdP session is gone: the next sign-in asks again.
    const again = await agent.navigate(`${spUrl}/login`)
    expect(again.document.querySelector('#login-form')).not.toBeNull()
  })

  it('the IdP refuses a sign-off return_url of no registered SP, and keeps the session', async () => {
    const { agent: newAgent, idp } = await createInProcessPair({ protocol: 'jwt' })
    const agent = newAgent()
    await signIn(agent, 'alice')
    const refused = await agent.navigate(
      `${idpUrl}/jwt/logout?return_url=${encodeURIComponent('https://evil.example/')}`,
    )
    expect(refused.status).toBe(400)
    expect(refused.document.querySelector('#error-code')?.text).toBe('JWT_RETURN_URL_REJECTED')
    expect(idp.sessions.forUser('alice')).toHaveLength(1)
    const plain = await agent.navigate(`${idpUrl}/jwt/logout`)
    expect(plain.document.querySelector('#status')?.text).toBe('You are signed out')
    expect(idp.sessions.forUser('alice')).toEqual([])
  })
})

describe('JWT remote login refuses foreign return URLs (no open redirect)', () => {
  it.each([
    ['another site', 'https://evil.example/jwt/callback'],
    ['a look-alike host', 'http://127.0.0.1.evil.example:7100/jwt/callback'],
    ['another port', 'http://127.0.0.1:7101/jwt/callback'],
    ['a token of its own', `${spUrl}/jwt/callback?token=forged`],
    ['a relative URL', '/jwt/callback'],
    ['javascript:', 'javascript:alert(1)'],
    ['user info', 'http://user:pw@127.0.0.1:7100/jwt/callback'],
  ])('%s', async (_, returnUrl) => {
    const { agent: newAgent } = await createInProcessPair({ protocol: 'jwt' })
    const page = await newAgent().navigate(
      `${idpUrl}/jwt/login?return_url=${encodeURIComponent(returnUrl)}`,
    )
    expect(page.status).toBe(400)
    expect(page.document.querySelector('#error-code')?.text).toBe('JWT_RETURN_URL_REJECTED')
    expect(page.headers.get('location')).toBeNull()
  })

  it('without return_url', async () => {
    const { agent: newAgent } = await createInProcessPair({ protocol: 'jwt' })
    const page = await newAgent().navigate(`${idpUrl}/jwt/login`)
    expect(page.document.querySelector('#error-code')?.text).toBe('JWT_RETURN_URL_REJECTED')
  })
})

describe('IdP-initiated JWT hand-over from page JavaScript', () => {
  it('a signed-in visitor’s page gets a token for the SP and posts it to the SP callback', async () => {
    const { agent: newAgent, idp } = await createInProcessPair({ protocol: 'jwt' })
    const agent = newAgent()
    await signIn(agent, 'alice')
    await agent.jar.setCookie(`${spSessionCookie}=; Max-Age=0; Path=/`, `${spUrl}/`)

    const script = await idp.app.request('/jwt/hand-over.js')
    expect(script.headers.get('content-type')).toContain('javascript')
    expect(await script.text()).toContain(`${idpUrl}/jwt/token`)

    // What the script does: POST to the IdP with the IdP cookie, from the SP's origin…
    const cookie = await agent.jar.getCookieString(`${idpUrl}/`)
    expect(cookie).toContain(idpSessionCookie)
    const answer = await idp.app.request(`/jwt/token?sp=${encodeURIComponent(spUrl)}`, {
      method: 'POST',
      headers: { cookie, origin: spUrl, accept: 'application/json' },
    })
    expect(answer.status).toBe(200)
    expect(answer.headers.get('access-control-allow-origin')).toBe(spUrl)
    expect(answer.headers.get('access-control-allow-credentials')).toBe('true')
    const { token } = (await answer.json()) as { token: string }
    expect(decodeJwt(token)).toMatchObject({ sub: 'alice', aud: spUrl })

    // …then posts the token to the SP callback, no redirect through the IdP.
    const accepted = await agent.navigate(`${spUrl}/jwt/callback`, {
      method: 'POST',
      form: { token },
    })
    expect(accepted.url).toBe(`${spUrl}/`)
    expect(accepted.document.querySelector('#user-name')?.text).toBe('Alice Andersen')
  })

  it('answers 401 without an IdP session, lets no other origin read, and refuses unknown SPs', async () => {
    const { idp } = await createInProcessPair({ protocol: 'jwt' })
    const anonymous = await idp.app.request(`/jwt/token?sp=${encodeURIComponent(spUrl)}`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', accept: 'application/json' },
    })
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('access-control-allow-origin')).toBeNull()
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe(
      'IDP_SESSION_REQUIRED',
    )
    const unknown = await idp.app.request('/jwt/token?sp=nobody', {
      method: 'POST',
      headers: { accept: 'application/json' },
    })
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe(
      'JWT_SP_UNKNOWN',
    )
  })
})

async function tokenAfterSignIn(agent: UserAgent, username: string): Promise<string> {
  const page: Page = await signIn(agent, username)
  expect(page.url).toBe(`${spUrl}/account?tab=profile`)
  return tokenFrom(agent)
}
