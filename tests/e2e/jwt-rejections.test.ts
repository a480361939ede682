import { generateKeyPairSync } from 'node:crypto'
import { CompactSign, exportJWK, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { signJwt } from '../../core/jwt/sign.ts'
import type { PairOptions } from '../../harness/pair.ts'
import { createInProcessPair, idpUrl, spUrl, testCredentials } from '../fixtures/in-process.ts'

type Keys = Awaited<ReturnType<typeof testCredentials>>

/** Claims the SP accepts at the pair's start time (2030-01-01T12:00:00Z). */
function claims(overrides: JWTPayload = {}): JWTPayload {
  const now = Date.parse('2030-01-01T12:00:00Z') / 1000
  return {
    iss: idpUrl,
    aud: spUrl,
    sub: 'alice',
    id: 'alice',
    name: 'Alice Andersen',
    iat: now,
    exp: now + 300,
    jti: `forged-${Math.round(now)}`,
    ...overrides,
  }
}

const signedByIdp = (keys: Keys, overrides: JWTPayload = {}) =>
  signJwt(claims(overrides), { alg: 'RS256', key: keys.idp.privateKey })

async function deliver(token: string, overrides: Partial<PairOptions> = {}) {
  const pair = await createInProcessPair({ protocol: 'jwt', ...overrides })
  const agent = pair.agent()
  const page = await agent.navigate(
    `${spUrl}/jwt/callback?return_url=%2F&token=${encodeURIComponent(token)}`,
  )
  const session = JSON.parse((await agent.request(`${spUrl}/api/session`)).html)
  return { page, session, log: pair.log, code: page.document.querySelector('#error-code')?.text }
}

async function expectRefused(token: string, code: string, overrides: Partial<PairOptions> = {}) {
  const { page, session, log, code: shown } = await deliver(token, overrides)
  expect(shown).toBe(code)
  expect(page.status).toBeGreaterThanOrEqual(400)
  expect(page.status).toBeLessThan(500)
  expect(session).toEqual({ signedIn: false })
  // The token is never echoed: not on the page, not in a log line.
  if (token.length > 20) {
    expect(page.html).not.toContain(token)
    expect(log.join('\n')).not.toContain(token)
  }
}

describe('the reference SP refuses forged and broken JWTs with stable codes', () => {
  it('accepts a well-formed token signed by the IdP key (the baseline)', async () => {
    const keys = await testCredentials()
    const { page, session } = await deliver(await signedByIdp(keys, { sub: 'other', id: 'alice' }))
    expect(page.url).toBe(`${spUrl}/`)
    expect(session.subject.nameId).toBe('alice')
  })

  it('accepts a token that expired within the clock skew', async () => {
    const keys = await testCredentials()
    const now = Date.parse('2030-01-01T12:00:00Z') / 1000
    const { session } = await deliver(await signedByIdp(keys, { iat: now - 300, exp: now - 30 }))
    expect(session.signedIn).toBe(true)
  })

  it('alg: none → JWT_ALGORITHM_FORBIDDEN', async () => {
    await expectRefused(new UnsecuredJWT(claims()).encode(), 'JWT_ALGORITHM_FORBIDDEN')
  })

  it('HS256 signed with the IdP public key as the secret → JWT_ALGORITHM_FORBIDDEN', async () => {
    const keys = await testCredentials()
    const forged = await signJwt(claims(), {
      alg: 'HS256',
      key: new TextEncoder().encode(keys.idp.certificatePem),
    })
    await expectRefused(forged, 'JWT_ALGORITHM_FORBIDDEN')
  })

  it('HS256 with the public key, where HS256 is allowed with its own secret → JWT_SIGNATURE_INVALID', async () => {
    const keys = await testCredentials()
    const forged = await signJwt(claims(), {
      alg: 'HS256',
      key: new TextEncoder().encode(keys.idp.certificatePem),
    })
    await expectRefused(forged, 'JWT_SIGNATURE_INVALID', {
      sp: { jwt: { algorithms: ['RS256', 'HS256'], secret: 's'.repeat(32) } },
    })
  })

  it('an embedded jwk header with the attacker’s key → JWT_HEADER_KEY_FORBIDDEN', async () => {
    const keys = await testCredentials()
    const jwk = await exportJWK(keys.other.publicKey)
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', jwk })
      .sign(keys.other.privateKey)
    await expectRefused(forged, 'JWT_HEADER_KEY_FORBIDDEN')
  })

  it('a jku header → JWT_HEADER_KEY_FORBIDDEN', async () => {
    const keys = await testCredentials()
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', jku: 'https://evil.example/jwks.json' })
      .sign(keys.idp.privateKey)
    await expectRefused(forged, 'JWT_HEADER_KEY_FORBIDDEN')
  })

  it('signed with another RSA key → JWT_SIGNATURE_INVALID', async () => {
    const keys = await testCredentials()
    await expectRefused(
      await signJwt(claims(), { alg: 'RS256', key: keys.other.privateKey }),
      'JWT_SIGNATURE_INVALID',
    )
  })

  it('a changed payload under the original signature → JWT_SIGNATURE_INVALID', async () => {
    const keys = await testCredentials()
    const [header, , signature] = (await signedByIdp(keys)).split('.')
    const payload = Buffer.from(JSON.stringify(claims({ id: 'admin', sub: 'admin' }))).toString(
      'base64url',
    )
    await expectRefused(`${header}.${payload}.${signature}`, 'JWT_SIGNATURE_INVALID')
  })

  it('ES256 where only RS256 is allowed → JWT_ALGORITHM_FORBIDDEN', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    await expectRefused(
      await signJwt(claims(), { alg: 'ES256', key: privateKey }),
      'JWT_ALGORITHM_FORBIDDEN',
    )
  })

  it('a crit extension → JWT_CRIT_UNSUPPORTED', async () => {
    const keys = await testCredentials()
    const forged = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims())))
      .setProtectedHeader({ alg: 'RS256', crit: ['exp-check'], 'exp-check': true })
      .sign(keys.idp.privateKey, { crit: { 'exp-check': true } })
    await expectRefused(forged, 'JWT_CRIT_UNSUPPORTED')
  })

  it('expired beyond the skew → JWT_EXPIRED', async () => {
    const now = Date.parse('2030-01-01T12:00:00Z') / 1000
    const keys = await testCredentials()
    await expectRefused(await signedByIdp(keys, { iat: now - 600, exp: now - 120 }), 'JWT_EXPIRED')
  })

  it('issued in the future → JWT_ISSUED_IN_FUTURE', async () => {
    const now = Date.parse('2030-01-01T12:00:00Z') / 1000
    const keys = await testCredentials()
    await expectRefused(
      await signedByIdp(keys, { iat: now + 120, exp: now + 600 }),
      'JWT_ISSUED_IN_FUTURE',
    )
  })

  it('not valid before a future nbf → JWT_NOT_YET_VALID', async () => {
    const now = Date.parse('2030-01-01T12:00:00Z') / 1000
    const keys = await testCredentials()
    await expectRefused(await signedByIdp(keys, { nbf: now + 120 }), 'JWT_NOT_YET_VALID')
  })

  it('another issuer → JWT_ISSUER_MISMATCH', async () => {
    const keys = await testCredentials()
    await expectRefused(
      await signedByIdp(keys, { iss: 'https://evil.example' }),
      'JWT_ISSUER_MISMATCH',
    )
  })

  it('another audience → JWT_AUDIENCE_MISMATCH', async () => {
    const keys = await testCredentials()
    await expectRefused(
      await signedByIdp(keys, { aud: 'https://other-sp.example' }),
      'JWT_AUDIENCE_MISMATCH',
    )
  })

  it('no exp → JWT_CLAIM_MISSING; exp that is not a number → JWT_CLAIM_INVALID', async () => {
    const keys = await testCredentials()
    await expectRefused(await signedByIdp(keys, { exp: undefined }), 'JWT_CLAIM_MISSING')
    await expectRefused(
      await signedByIdp(keys, { exp: 'tomorrow' as unknown as number }),
      'JWT_CLAIM_INVALID',
    )
  })

  it('neither id nor sub → JWT_SUBJECT_MISSING', async () => {
    const keys = await testCredentials()
    await expectRefused(
      await signedByIdp(keys, { id: undefined, sub: undefined }),
      'JWT_SUBJECT_MISSING',
    )
  })

  it('the same jti twice → JWT_REPLAY', async () => {
    const keys = await testCredentials()
    const pair = await createInProcessPair({ protocol: 'jwt' })
    const first = await signedByIdp(keys, { jti: 'once' })
    const again = await signedByIdp(keys, { jti: 'once', name: 'Alice again' })
    const agent = pair.agent()
    const ok = await agent.navigate(`${spUrl}/jwt/callback?token=${first}`)
    expect(ok.document.querySelector('#user-name')?.text).toBe('Alice Andersen')
    const replay = await pair.agent().navigate(`${spUrl}/jwt/callback?token=${again}`)
    expect(replay.status).toBe(403)
    expect(replay.document.querySelector('#error-code')?.text).toBe('JWT_REPLAY')
  })

  it('not a JWT → JWT_MALFORMED; too large → JWT_TOO_LARGE; none at all → JWT_TOKEN_MISSING', async () => {
    const keys = await testCredentials()
    await expectRefused('not-a-token', 'JWT_MALFORMED')
    await expectRefused('a.b.c', 'JWT_MALFORMED')
    await expectRefused(await signedByIdp(keys, { padding: 'x'.repeat(9000) }), 'JWT_TOO_LARGE')
    const pair = await createInProcessPair({ protocol: 'jwt' })
    const missing = await pair.agent().navigate(`${spUrl}/jwt/callback?return_url=/`)
    expect(missing.status).toBe(400)
    expect(missing.document.querySelector('#error-code')?.text).toBe('JWT_TOKEN_MISSING')
  })

  it('a JWKS URL that cannot be reached → JWT_JWKS_UNAVAILABLE; an unknown kid → JWT_KEY_UNKNOWN', async () => {
    const keys = await testCredentials()
    const token = await signJwt(claims(), {
      alg: 'RS256',
      kid: 'made-up',
      key: keys.idp.privateKey,
    })
    await expectRefused(token, 'JWT_JWKS_UNAVAILABLE', {
      jwt: { key: 'jwks' },
      spFetch: async () => {
        throw new TypeError('fetch failed')
      },
    })
    await expectRefused(token, 'JWT_KEY_UNKNOWN', { jwt: { key: 'jwks' } })
  })

  it('a return_url to another site is not followed after a good token', async () => {
    const keys = await testCredentials()
    const pair = await createInProcessPair({ protocol: 'jwt' })
    const page = await pair
      .agent()
      .navigate(
        `${spUrl}/jwt/callback?return_url=${encodeURIComponent('//evil.example/')}&token=${await signedByIdp(keys)}`,
      )
    expect(page.url).toBe(`${spUrl}/`)
    expect(page.document.querySelector('#user-name')?.text).toBe('Alice Andersen')
  })
})
