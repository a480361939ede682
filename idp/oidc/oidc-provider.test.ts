import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { signJwt } from '../../core/jwt/sign.ts'
import { idpUrl } from '../../tests/fixtures/in-process.ts'
import { postedForm, readPage } from '../../tests/fixtures/read-page.ts'
import {
  authorizeUrl,
  codeFor,
  exchange,
  redirectUri,
  secret,
  setup,
  tokenRequest,
  verifier,
} from './test-support.ts'

describe('the authorization endpoint', () => {
  it('answers a code with state and iss; the ID token has nonce, auth_time, at_hash, azp and a kid', async () => {
    const world = await setup()
    const back = await codeFor(world)
    expect(back.origin + back.pathname).toBe(redirectUri)
    expect(back.searchParams.get('state')).toBe('st-1')
    expect(back.searchParams.get('iss')).toBe(idpUrl)
    const response = await exchange(world, back.searchParams.get('code') ?? '')
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const tokens = (await response.json()) as Record<string, string>
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid profile email',
    })
    const idToken = tokens.id_token ?? ''
    const { payload, protectedHeader } = await jwtVerify(
      idToken,
      createLocalJWKSet((await (await world.idp.app.request('/oidc/jwks')).json()) as never),
      { issuer: idpUrl, audience: 'rp', currentDate: new Date(world.clock.now()) },
    )
    expect(protectedHeader.kid).toEqual(expect.any(String))
    expect(payload).toMatchObject({
      sub: 'alice',
      nonce: 'n-1',
      azp: 'rp',
      aud: ['rp', 'https://api.example'],
      auth_time: world.clock.now() / 1000,
      exp: world.clock.now() / 1000 + 600,
    })
    expect(payload.at_hash).toEqual(expect.any(String))
    expect(payload).not.toHaveProperty('email')
  })

  it.each([
    ['an unknown client', { client_id: 'nobody' }, 'OIDC_CLIENT_UNKNOWN'],
    [
      'an unregistered redirect_uri',
      { redirect_uri: 'https://evil.example/cb' },
      'OIDC_REDIRECT_URI_NOT_ALLOWED',
    ],
    ['a longer path', { redirect_uri: `${redirectUri}/more` }, 'OIDC_REDIRECT_URI_NOT_ALLOWED'],
    ['an added query', { redirect_uri: `${redirectUri}?x=1` }, 'OIDC_REDIRECT_URI_NOT_ALLOWED'],
    ['no redirect_uri', { redirect_uri: '' }, 'OIDC_REDIRECT_URI_NOT_ALLOWED'],
  ])('shows an error page, never a redirect, for %s', async (_, params, code) => {
    const { idp } = await setup()
    const page = await readPage(await idp.app.request(authorizeUrl(params)))
    expect(page.status).toBe(400)
    expect(page.code).toBe(code)
  })

  it.each([
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['no openid scope', { scope: 'profile' }, 'invalid_scope'],
    [
      'a scope the client may not ask for (unknownScopes refuse)',
      { scope: 'openid admin' },
      'invalid_scope',
    ],
    ['an unsupported response_mode', { response_mode: 'fragment' }, 'invalid_request'],
    ['an unknown PKCE method', { code_challenge_method: 'S512' }, 'invalid_request'],
    ['a malformed challenge', { code_challenge: 'short' }, 'invalid_request'],
    ['prompt=none with login', { prompt: 'none login' }, 'invalid_request'],
    ['a request object', { request: 'eyJ.e30.' }, 'request_not_supported'],
    ['prompt=none without an IdP session', { prompt: 'none' }, 'login_required'],
  ])('sends %s back to the redirect_uri as an error with state', async (_, params, error) => {
    const { idp } = await setup()
    const answer = await idp.app.request(authorizeUrl(params))
    expect(answer.status).toBe(302)
    const back = new URL(answer.headers.get('location') ?? '')
    expect(back.origin + back.pathname).toBe(redirectUri)
    expect(back.searchParams.get('error')).toBe(error)
    expect(back.searchParams.get('state')).toBe('st-1')
    expect(back.searchParams.get('code')).toBeNull()
  })

  it('requires PKCE of a public client; accepts plain; signs its ID token with ES256', async () => {
    const world = await setup()
    const missing = await world.idp.app.request(
      `/oidc/authorize?client_id=spa&redirect_uri=${encodeURIComponent('https://spa.example/cb')}&response_type=code&scope=openid`,
    )
    expect(new URL(missing.headers.get('location') ?? '').searchParams.get('error')).toBe(
      'invalid_request',
    )
    const back = await codeFor(world, {
      client_id: 'spa',
      redirect_uri: 'https://spa.example/cb',
      code_challenge: verifier,
      code_challenge_method: 'plain',
    })
    const answer = await tokenRequest(world, {
      grant_type: 'authorization_code',
      client_id: 'spa',
      code: back.searchParams.get('code') ?? '',
      redirect_uri: 'https://spa.example/cb',
      code_verifier: verifier,
    })
    expect(answer.status).toBe(200)
    const { id_token } = (await answer.json()) as { id_token: string }
    expect(decodeProtectedHeader(id_token).alg).toBe('ES256')
  })

  it('prompt=login and an IdP session older than max_age ask for credentials again', async () => {
    const world = await setup()
    const first = await world.idp.app.request(authorizeUrl({}))
    const form = await readPage(first)
    expect(form.loginForm).not.toBeNull()
    const flow = form.document.querySelector('input[name="flow"]')?.getAttribute('value') ?? ''
    const signedIn = await world.idp.app.request(
      '/login',
      postedForm({ flow, username: 'bob', action: 'login' }, form.formToken),
    )
    const cookie =
      signedIn.headers
        .getSetCookie()
        .find((line) => line.startsWith('ssoproof_idp_session='))
        ?.split(';')[0] ?? ''
    const withSession = (params: Record<string, string>) =>
      world.idp.app.request(authorizeUrl(params), { headers: { cookie } })
    expect((await withSession({})).status).toBe(302)
    expect((await readPage(await withSession({ prompt: 'login' }))).loginForm).not.toBeNull()
    world.clock.advance('10m')
    expect((await withSession({ max_age: '3600' })).status).toBe(302)
    expect((await readPage(await withSession({ max_age: '300' }))).loginForm).not.toBeNull()
  })
})

describe('the token endpoint', () => {
  it('refuses a wrong secret, two authentication methods and a missing one', async () => {
    const world = await setup()
    const code = (await codeFor(world)).searchParams.get('code') ?? ''
    const body = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }
    const wrong = await tokenRequest(world, body, 'rp:not-the-secret')
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('www-authenticate')).toContain('Basic')
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' })
    const twice = await tokenRequest(world, { ...body, client_secret: secret }, `rp:${secret}`)
    expect(await twice.json()).toMatchObject({ error: 'invalid_request' })
    const none = await tokenRequest(world, { ...body, client_id: 'rp' })
    expect(none.status).toBe(401)
    // The code survived the failed attempts: client_secret_post works.
    const post = await tokenRequest(world, { ...body, client_id: 'rp', client_secret: secret })
    expect(post.status).toBe(200)
  })

  it('a code works once; a second exchange revokes the tokens of the first', async () => {
    const world = await setup()
    const code = (await codeFor(world)).searchParams.get('code') ?? ''
    const { access_token } = (await (await exchange(world, code)).json()) as {
      access_token: string
    }
    const bearer = { headers: { authorization: `Bearer ${access_token}` } }
    expect((await world.idp.app.request('/oidc/userinfo', bearer)).status).toBe(200)
    expect(await (await exchange(world, code)).json()).toMatchObject({ error: 'invalid_grant' })
    expect((await world.idp.app.request('/oidc/userinfo', bearer)).status).toBe(401)
  })

  it.each([
    ['another redirect_uri', { redirect_uri: 'https://rp.example/other' }],
    ['a wrong code_verifier', { code_verifier: 'x'.repeat(43) }],
    ['no code_verifier', { code_verifier: '' }],
  ])('refuses %s with invalid_grant', async (_, extra) => {
    const world = await setup()
    const code = (await codeFor(world)).searchParams.get('code') ?? ''
    const body = Object.fromEntries(
      Object.entries({ redirect_uri: redirectUri, code_verifier: verifier, ...extra }).filter(
        ([, v]) => v !== '',
      ),
    )
    const answer = await tokenRequest(
      world,
      { grant_type: 'authorization_code', code, ...body },
      `rp:${secret}`,
    )
    expect(answer.status).toBe(400)
    expect(await answer.json()).toMatchObject({ error: 'invalid_grant' })
  })

  it('refuses an expired code, a verifier without a challenge, an unknown grant type and a JSON body', async () => {
    const world = await setup()
    const expired = (await codeFor(world)).searchParams.get('code') ?? ''
    world.clock.advance('61s')
    expect(await (await exchange(world, expired)).json()).toMatchObject({ error: 'invalid_grant' })
    // A confidential client may do without PKCE, but then must not send a code_verifier.
    const withoutPkce = await codeFor(world, { code_challenge: '', code_challenge_method: '' })
    const code = withoutPkce.searchParams.get('code') ?? ''
    expect(code).not.toBe('')
    expect(await (await exchange(world, code)).json()).toMatchObject({ error: 'invalid_grant' })
    const unknown = await tokenRequest(world, { grant_type: 'password' }, `rp:${secret}`)
    expect(await unknown.json()).toMatchObject({ error: 'unsupported_grant_type' })
    const json = await world.idp.app.request('/oidc/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(await json.json()).toMatchObject({ error: 'invalid_request' })
  })

  it('refreshes within the granted scope, rotating the refresh token', async () => {
    const world = await setup()
    const code = (await codeFor(world)).searchParams.get('code') ?? ''
    const { refresh_token } = (await (await exchange(world, code)).json()) as {
      refresh_token: string
    }
    const wider = await tokenRequest(
      world,
      { grant_type: 'refresh_token', refresh_token, scope: 'openid phone' },
      `rp:${secret}`,
    )
    expect(await wider.json()).toMatchObject({ error: 'invalid_scope' })
    const narrower = await tokenRequest(
      world,
      { grant_type: 'refresh_token', refresh_token, scope: 'openid email' },
      `rp:${secret}`,
    )
    const answer = (await narrower.json()) as Record<string, string>
    expect(answer).toMatchObject({ scope: 'openid email' })
    expect(answer.refresh_token).not.toBe(refresh_token)
  })
})

describe('userinfo', () => {
  it('takes the token as a Bearer header or a form field, not both, and only while it lives', async () => {
    const world = await setup()
    const code = (await codeFor(world, {}, 'carol')).searchParams.get('code') ?? ''
    const { access_token } = (await (await exchange(world, code)).json()) as {
      access_token: string
    }
    const header = await world.idp.app.request('/oidc/userinfo', {
      headers: { authorization: `Bearer ${access_token}` },
    })
    expect(await header.json()).toEqual({
      sub: 'carol',
      name: 'Carol Chen',
      email: 'carol@example.org',
      email_verified: true,
    })
    const form = await world.idp.app.request('/oidc/userinfo', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `access_token=${access_token}`,
    })
    expect(((await form.json()) as { sub: string }).sub).toBe('carol')
    const both = await world.idp.app.request('/oidc/userinfo', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${access_token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `access_token=${access_token}`,
    })
    expect(both.status).toBe(400)
    const none = await world.idp.app.request('/oidc/userinfo')
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toBe('Bearer')
    world.clock.advance('1h')
    const expired = await world.idp.app.request('/oidc/userinfo', {
      headers: { authorization: `Bearer ${access_token}` },
    })
    expect(expired.status).toBe(401)
    expect(expired.headers.get('www-authenticate')).toContain('invalid_token')
  })
})

describe('OAuth2 mode', () => {
  it('takes renamed parameters, issues no ID token, and names claims the client’s way', async () => {
    const world = await setup()
    await world.idp.app.request('/admin/next-login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'bob' }),
    })
    const answer = await world.idp.app.request(
      `/oidc/authorize?${new URLSearchParams({
        appid: 'legacy',
        callback: 'https://legacy.example/oauth',
        response_type: 'code',
        scope: 'basic',
        st: 's',
      })}`,
    )
    const back = new URL(answer.headers.get('location') ?? '')
    expect(back.origin + back.pathname).toBe('https://legacy.example/oauth')
    expect(back.searchParams.get('st')).toBe('s')
    expect(back.searchParams.has('state')).toBe(false)
    const tokens = (await (
      await tokenRequest(
        world,
        {
          grant_type: 'authorization_code',
          code: back.searchParams.get('code') ?? '',
          redirect_uri: 'https://legacy.example/oauth',
        },
        `legacy:${secret}`,
      )
    ).json()) as Record<string, string>
    expect(tokens.access_token).toEqual(expect.any(String))
    expect(tokens).not.toHaveProperty('id_token')
    const info = await world.idp.app.request('/oidc/userinfo', {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    })
    expect(await info.json()).toEqual({
      user_id: 'bob',
      mail: 'bob@example.com',
      name: 'Bob Brown',
    })
  })
})

describe('end_session', () => {
  it('refuses a forged hint, a foreign post_logout_redirect_uri and a client_id that disagrees', async () => {
    const world = await setup()
    const forged = await signJwt(
      { iss: idpUrl, aud: 'rp', sub: 'alice' },
      { alg: 'RS256', key: world.keys.other.privateKey },
    )
    const page = async (query: Record<string, string>) =>
      readPage(await world.idp.app.request(`/oidc/end-session?${new URLSearchParams(query)}`))
    expect((await page({ id_token_hint: forged })).code).toBe('OIDC_ID_TOKEN_HINT_INVALID')
    expect((await page({ id_token_hint: 'garbage' })).code).toBe('OIDC_ID_TOKEN_HINT_INVALID')
    const code = (await codeFor(world)).searchParams.get('code') ?? ''
    const { id_token } = (await (await exchange(world, code)).json()) as { id_token: string }
    expect(
      (await page({ id_token_hint: id_token, post_logout_redirect_uri: 'https://evil.example/' }))
        .code,
    ).toBe('OIDC_POST_LOGOUT_REDIRECT_URI_NOT_ALLOWED')
    expect((await page({ id_token_hint: id_token, client_id: 'spa' })).code).toBe(
      'OIDC_ID_TOKEN_HINT_INVALID',
    )
    expect((await page({ post_logout_redirect_uri: 'https://rp.example/bye' })).code).toBe(
      'OIDC_POST_LOGOUT_REDIRECT_URI_NOT_ALLOWED',
    )
    // An expired hint still names the client.
    world.clock.advance('2h')
    const back = await world.idp.app.request(
      `/oidc/end-session?${new URLSearchParams({ id_token_hint: id_token, post_logout_redirect_uri: 'https://rp.example/bye', state: 'x' })}`,
    )
    expect(back.headers.get('location')).toBe('https://rp.example/bye?state=x')
    expect(decodeJwt(id_token).sub).toBe('alice')
  })
})

describe('discovery', () => {
  it('publishes the endpoints under the issuer', async () => {
    const { idp } = await setup()
    const doc = (await (
      await idp.app.request('/.well-known/openid-configuration')
    ).json()) as Record<string, unknown>
    expect(doc).toMatchObject({
      issuer: idpUrl,
      authorization_endpoint: `${idpUrl}/oidc/authorize`,
      token_endpoint: `${idpUrl}/oidc/token`,
      userinfo_endpoint: `${idpUrl}/oidc/userinfo`,
      jwks_uri: `${idpUrl}/oidc/jwks`,
      end_session_endpoint: `${idpUrl}/oidc/end-session`,
    })
  })
})
