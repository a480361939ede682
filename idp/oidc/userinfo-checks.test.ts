import { describe, expect, it } from 'vitest'
import { codeFor, exchange, type Setup, secret, setup, tokenRequest } from './test-support.ts'
import { userinfoChecks } from './userinfo-checks.ts'

/**
 * Each row of the userinfo endpoint's check table (userinfoChecks), passed and refused with its
 * OAuth error and status, through /oidc/userinfo.
 */
async function accessToken(world: Setup, scope = 'openid profile email') {
  const code = (await codeFor(world, { scope })).searchParams.get('code') ?? ''
  return ((await (await exchange(world, code)).json()) as { access_token: string }).access_token
}

function ask(world: Setup, init: { header?: string; form?: string } = {}) {
  return world.idp.app.request('/oidc/userinfo', {
    method: init.form === undefined ? 'GET' : 'POST',
    headers: {
      ...(init.header !== undefined ? { authorization: init.header } : {}),
      ...(init.form !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(init.form !== undefined ? { body: new URLSearchParams({ access_token: init.form }) } : {}),
  })
}

async function errorOf(answer: Response) {
  return { status: answer.status, error: ((await answer.json()) as { error?: string }).error }
}

describe("the userinfo endpoint's checks, in the order they run", () => {
  it('lists the checks in their order', () => {
    expect(userinfoChecks.map(([check]) => check)).toEqual(['access_token', 'grant', 'scope'])
  })

  it('answers a live token sent as a Bearer header or as a form field', async () => {
    const world = await setup()
    const token = await accessToken(world)
    expect((await ask(world, { header: `Bearer ${token}` })).status).toBe(200)
    expect((await ask(world, { form: token })).status).toBe(200)
  })

  it('access_token: refuses another scheme, two tokens and none', async () => {
    const world = await setup()
    const token = await accessToken(world)
    expect(await errorOf(await ask(world, { header: `Basic ${token}` }))).toEqual({
      status: 400,
      error: 'invalid_request',
    })
    expect(await errorOf(await ask(world, { header: `Bearer ${token}`, form: token }))).toEqual({
      status: 400,
      error: 'invalid_request',
    })
    expect((await ask(world)).status).toBe(401)
  })

  it('grant: refuses an unknown token', async () => {
    const world = await setup()
    expect(await errorOf(await ask(world, { header: 'Bearer not-a-token' }))).toEqual({
      status: 401,
      error: 'invalid_token',
    })
  })

  it('scope: refuses a token whose grant was narrowed to leave openid out', async () => {
    const world = await setup()
    const code = (await codeFor(world)).searchParams.get('code') ?? ''
    const { refresh_token } = (await (await exchange(world, code)).json()) as {
      refresh_token: string
    }
    const narrowed = await tokenRequest(
      world,
      { grant_type: 'refresh_token', refresh_token, scope: 'email' },
      `rp:${secret}`,
    )
    const { access_token } = (await narrowed.json()) as { access_token: string }
    expect(await errorOf(await ask(world, { header: `Bearer ${access_token}` }))).toEqual({
      status: 403,
      error: 'insufficient_scope',
    })
  })
})
