import { describe, expect, it } from 'vitest'
import { createExpiringMap } from '../../core/clock/expiring-map.ts'
import { createManualClock } from '../../core/clock/index.ts'
import { tokenHash } from '../../core/jwt/at-hash.ts'
import { signJwt } from '../../core/jwt/sign.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import { createBrowserBoundMap } from '../store/browser-bound-map.ts'
import { createOidcRuntime } from './runtime.ts'
import { spOidcSettingsSchema } from './settings.ts'
import { validateIdToken } from './validate-id-token.ts'

/**
 * Each ID token check of validateIdToken (OIDC Core §3.1.3.7), passed and refused with its
 * code. The provider signs with the client secret (HS256), so no JWKS is fetched.
 */
const issuer = 'https://op.example'
const clientId = 'client-1'
const clientSecret = 'a client secret of thirty-two bytes!'
const clock = createManualClock('2030-01-01T12:00:00Z')
const now = clock.now()
const seconds = Math.floor(now / 1000)
const accessToken = 'access-token-1'

const settings = spOidcSettingsSchema.parse({
  issuer,
  clientId,
  clientSecret,
  discovery: false,
  authorizationUrl: `${issuer}/authorize`,
  tokenUrl: `${issuer}/token`,
  idTokenAlgorithms: ['HS256'],
})
const random = createSeededRandom('validate-id-token')
const oidc = createOidcRuntime(
  settings,
  {
    fetch: () => Promise.reject(new Error('no request leaves this test')),
    clock,
  },
  {
    pending: createBrowserBoundMap(createExpiringMap(clock), random),
    logoutReturns: createBrowserBoundMap(createExpiringMap(clock), random),
  },
)

function idToken(change: Record<string, unknown> = {}) {
  const claims = {
    iss: issuer,
    aud: clientId,
    sub: 'alice',
    iat: seconds,
    exp: seconds + 300,
    nonce: 'nonce-1',
    at_hash: tokenHash(accessToken, 'HS256'),
    ...change,
  }
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined) delete claims[name as keyof typeof claims]
  }
  return signJwt(claims, { alg: 'HS256', key: new TextEncoder().encode(clientSecret) })
}

const validate = async (token: string, expected: { nonce?: string; subject?: string } = {}) =>
  validateIdToken(oidc, token, {
    nonce: 'nonce-1',
    accessToken,
    now,
    clockSkewMs: 60_000,
    ...expected,
  })

const codeOf = (token: Promise<string>, expected?: { nonce?: string; subject?: string }) =>
  token
    .then((value) => validate(value, expected))
    .then(
      () => 'accepted',
      (error: { code?: string }) => error.code,
    )

describe('validateIdToken', () => {
  it('accepts an ID token of the issuer for this client, with its nonce and at_hash', async () => {
    const claims = await validate(await idToken())
    expect(claims.sub).toBe('alice')
  })

  it.each([
    ['another issuer', { iss: 'https://op.evil.example' }, 'JWT_ISSUER_MISMATCH'],
    ['another audience', { aud: 'client-2' }, 'JWT_AUDIENCE_MISMATCH'],
    ['an exp passed beyond the skew', { exp: seconds - 61 }, 'JWT_EXPIRED'],
    ['no sub', { sub: undefined }, 'JWT_CLAIM_MISSING'],
    ['several audiences without azp', { aud: [clientId, 'client-2'] }, 'OIDC_AZP_MISMATCH'],
    ['an azp of another client', { azp: 'client-2' }, 'OIDC_AZP_MISMATCH'],
    ['another nonce', { nonce: 'nonce-2' }, 'OIDC_NONCE_MISMATCH'],
    ['no nonce', { nonce: undefined }, 'OIDC_NONCE_MISMATCH'],
    [
      'an at_hash of another token',
      { at_hash: tokenHash('other', 'HS256') },
      'OIDC_AT_HASH_MISMATCH',
    ],
    ['a sub with an invisible character', { sub: 'alice\u200b' }, 'IDENTIFIER_LOOK_ALIKE'],
  ])('refuses %s', async (_, change, code) => {
    expect(await codeOf(idToken(change))).toBe(code)
  })

  it('accepts an ID token without at_hash, and several audiences with azp this client', async () => {
    expect(await codeOf(idToken({ at_hash: undefined }))).toBe('accepted')
    expect(await codeOf(idToken({ aud: [clientId, 'client-2'], azp: clientId }))).toBe('accepted')
  })

  it("refuses a refreshed ID token naming another subject than the session's", async () => {
    const refreshed = idToken({ nonce: undefined })
    expect(await codeOf(refreshed, { nonce: undefined, subject: 'alice' })).toBe('accepted')
    expect(await codeOf(refreshed, { nonce: undefined, subject: 'bob' })).toBe(
      'OIDC_REFRESH_SUBJECT_CHANGED',
    )
  })
})
