import { describe, expect, it } from 'vitest'
import {
  codeFor,
  exchange,
  redirectUri,
  type Setup,
  secret,
  setup,
  tokenRequest,
} from './test-support.ts'
import {
  authorizationCodeChecks,
  grantChecks,
  refreshTokenChecks,
  tokenRequestChecks,
} from './token-checks.ts'

/**
 * Each row of the token endpoint's check tables (token-checks.ts), passed and refused with its
 * OAuth error, through POST /oidc/token.
 */
async function errorOf(answer: Response) {
  return { status: answer.status, error: ((await answer.json()) as { error: string }).error }
}

async function tokensFor(world: Setup) {
  const code = (await codeFor(world)).searchParams.get('code') ?? ''
  const answer = await exchange(world, code)
  expect(answer.status).toBe(200)
  return (await answer.json()) as { refresh_token: string; access_token: string }
}

describe("the token endpoint's checks, in the order they run", () => {
  it('lists each table in its order', () => {
    expect(tokenRequestChecks.map(([check]) => check)).toEqual(['client authentication'])
    expect(Object.keys(grantChecks)).toEqual(['authorization_code', 'refresh_token'])
    expect(authorizationCodeChecks.map(([check]) => check)).toEqual([
      'code',
      'client_id',
      'redirect_uri',
      'code_verifier',
    ])
    expect(refreshTokenChecks.map(([check]) => check)).toEqual([
      'refresh_token',
      'client_id',
      'scope',
      'user',
    ])
  })

  it('client authentication: refuses a wrong secret; grant_type: refuses an unknown one', async () => {
    const world = await setup()
    const body = { grant_type: 'authorization_code', code: 'x', redirect_uri: redirectUri }
    expect(await errorOf(await tokenRequest(world, body, 'rp:wrong'))).toEqual({
      status: 401,
      error: 'invalid_client',
    })
    const password = { ...body, grant_type: 'password' }
    expect(await errorOf(await tokenRequest(world, password, `rp:${secret}`))).toEqual({
      status: 400,
      error: 'unsupported_grant_type',
    })
    const inherited = { ...body, grant_type: 'constructor' }
    expect((await errorOf(await tokenRequest(world, inherited, `rp:${secret}`))).error).toBe(
      'unsupported_grant_type',
    )
  })

  it('code: exchanged once; an unknown code and a reused one are invalid_grant', async () => {
    const world = await setup()
    const code = (await codeFor(world)).searchParams.get('code') ?? ''
    expect((await exchange(world, code)).status).toBe(200)
    expect(await errorOf(await exchange(world, code))).toEqual({
      status: 400,
      error: 'invalid_grant',
    })
    expect((await errorOf(await exchange(world, 'unknown'))).error).toBe('invalid_grant')
  })

  it.each([
    ['redirect_uri', { redirect_uri: 'https://rp.example/other' }],
    ['code_verifier', { code_verifier: 'x'.repeat(43) }],
  ])('%s: a mismatch is invalid_grant', async (_, change) => {
    const world = await setup()
    const code = (await codeFor(world)).searchParams.get('code') ?? ''
    expect(await errorOf(await exchange(world, code, change))).toEqual({
      status: 400,
      error: 'invalid_grant',
    })
  })

  it('client_id: a code issued to another client is invalid_grant', async () => {
    const world = await setup([
      { clientId: 'other', clientSecret: secret, redirectUris: [redirectUri] },
    ])
    const code = (await codeFor(world)).searchParams.get('code') ?? ''
    const body = { grant_type: 'authorization_code', code, redirect_uri: redirectUri }
    expect((await errorOf(await tokenRequest(world, body, `other:${secret}`))).error).toBe(
      'invalid_grant',
    )
  })

  it('refresh_token, scope: rotates within the grant; wider scope and a spent token are refused', async () => {
    const world = await setup()
    const { refresh_token } = await tokensFor(world)
    const refresh = (extra: Record<string, string>) =>
      tokenRequest(world, { grant_type: 'refresh_token', refresh_token, ...extra }, `rp:${secret}`)
    expect(await errorOf(await refresh({ scope: 'openid admin' }))).toEqual({
      status: 400,
      error: 'invalid_scope',
    })
    expect((await refresh({ scope: 'openid' })).status).toBe(200)
    expect((await errorOf(await refresh({}))).error).toBe('invalid_grant')
  })
})
