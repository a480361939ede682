import { generateKeyPairSync } from 'node:crypto'
import { exportJWK } from 'jose'
import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { signJwt } from '../../core/jwt/sign.ts'
import { fetchUserinfo } from './fetch-userinfo.ts'
import { createOidcRuntime } from './runtime.ts'
import { spOidcSettingsSchema } from './settings.ts'

const issuer = 'https://op.example'
const clock = createManualClock('2030-01-01T12:00:00Z')
const providerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey

/** A runtime whose provider answers userinfo with `body` (content type `type`). */
async function setup(body: string, type: string, requireSignedUserinfo = false) {
  const jwk = { ...(await exportJWK(providerKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  delete jwk.d
  for (const name of ['p', 'q', 'dp', 'dq', 'qi'] as const) delete jwk[name]
  const fetchImpl: typeof fetch = async (input) => {
    const url = String(input instanceof Request ? input.url : input)
    if (url.endsWith('/jwks')) return Response.json({ keys: [jwk] })
    return new Response(body, { headers: { 'content-type': type } })
  }
  const settings = spOidcSettingsSchema.parse({
    issuer,
    clientId: 'rp',
    clientSecret: 'rp-secret',
    discovery: false,
    authorizationUrl: `${issuer}/authorize`,
    tokenUrl: `${issuer}/token`,
    jwksUrl: `${issuer}/jwks`,
    idTokenAlgorithms: ['RS256'],
    requireSignedUserinfo,
  })
  const map = () => new Map() as never
  const oidc = createOidcRuntime(
    settings,
    { fetch: fetchImpl, clock },
    {
      pending: map(),
      logoutReturns: map(),
    },
  )
  return fetchUserinfo(oidc, fetchImpl, {
    userinfoUrl: `${issuer}/userinfo`,
    accessToken: 'at',
    now: clock.now(),
    clockSkewMs: 60_000,
  })
}

const claims = { sub: 'alice', email: 'a@example.com', iss: issuer, aud: 'rp' }

describe('fetchUserinfo', () => {
  it('takes a JWT signed with the provider key, iss and aud checked, and drops them from the claims', async () => {
    const jwt = await signJwt(claims, { alg: 'RS256', kid: 'k1', key: providerKey })
    expect(await setup(jwt, 'application/jwt')).toEqual({ sub: 'alice', email: 'a@example.com' })
  })

  it.each([
    ['another key', { ...claims }, otherKey, 'JWT_SIGNATURE_INVALID'],
    ['another audience', { ...claims, aud: 'someone-else' }, providerKey, 'JWT_AUDIENCE_MISMATCH'],
    [
      'another issuer',
      { ...claims, iss: 'https://evil.example' },
      providerKey,
      'JWT_ISSUER_MISMATCH',
    ],
  ])('refuses a signed answer with %s', async (_, payload, key, code) => {
    const jwt = await signJwt(payload, { alg: 'RS256', kid: 'k1', key })
    await expect(setup(jwt, 'application/jwt')).rejects.toMatchObject({ code })
  })

  it('takes JSON unless signed userinfo is required', async () => {
    const body = JSON.stringify({ sub: 'alice' })
    expect(await setup(body, 'application/json')).toEqual({ sub: 'alice' })
    await expect(setup(body, 'application/json', true)).rejects.toMatchObject({
      code: 'OIDC_USERINFO_UNSIGNED',
    })
    await expect(setup('[1]', 'application/json')).rejects.toMatchObject({
      code: 'OIDC_USERINFO_FAILED',
    })
  })
})
