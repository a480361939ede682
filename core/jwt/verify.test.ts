import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { testCredentials } from '../../tests/fixtures/in-process.ts'
import { createManualClock } from '../clock/index.ts'
import { signJwt } from './sign.ts'
import { type JwtPolicy, verifyJwt } from './verify.ts'

const now = Date.parse('2030-01-01T12:00:00Z')
const claims = { sub: 'alice', iat: now / 1000, exp: now / 1000 + 300 }

function policy(overrides: Partial<JwtPolicy>): JwtPolicy {
  return { algorithms: ['RS256'], keys: {}, clockSkewMs: 60_000, now, maxBytes: 8192, ...overrides }
}

describe('verifyJwt', () => {
  it('tries every configured key of the right type: the second certificate verifies', async () => {
    const keys = await testCredentials()
    const token = await signJwt(claims, { alg: 'RS256', key: keys.idp.privateKey })
    const verified = await verifyJwt(
      token,
      policy({ keys: { publicKeys: [keys.other.publicKey, keys.idp.publicKey] } }),
    )
    expect(verified.claims.sub).toBe('alice')
    await expect(
      verifyJwt(token, policy({ keys: { publicKeys: [keys.other.publicKey] } })),
    ).rejects.toMatchObject({ code: 'JWT_SIGNATURE_INVALID', evidence: { keysTried: 1 } })
  })

  it('binds the algorithm to the key type: ES256 needs a P-256 key, PS256 an RSA key', async () => {
    const keys = await testCredentials()
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const es256 = await signJwt(claims, { alg: 'ES256', key: p256.privateKey })
    await expect(
      verifyJwt(
        es256,
        policy({
          algorithms: ['ES256'],
          keys: { publicKeys: [p384.publicKey, keys.idp.publicKey] },
        }),
      ),
    ).rejects.toMatchObject({ code: 'JWT_KEY_UNKNOWN' })
    await verifyJwt(
      es256,
      policy({ algorithms: ['ES256'], keys: { publicKeys: [p256.publicKey] } }),
    )
    const ps256 = await signJwt(claims, { alg: 'PS256', key: keys.idp.privateKey })
    await verifyJwt(
      ps256,
      policy({ algorithms: ['PS256'], keys: { publicKeys: [keys.idp.publicKey] } }),
    )
    // HS256 never reads a public key, even when it is allowed and no secret is set.
    const hs256 = await signJwt(claims, {
      alg: 'HS256',
      key: new TextEncoder().encode('x'.repeat(32)),
    })
    await expect(
      verifyJwt(
        hs256,
        policy({ algorithms: ['HS256'], keys: { publicKeys: [keys.idp.publicKey] } }),
      ),
    ).rejects.toMatchObject({ code: 'JWT_KEY_UNKNOWN' })
  })

  it('compares times on the injected clock, with the skew', async () => {
    const keys = await testCredentials()
    const clock = createManualClock(now)
    const token = await signJwt(claims, { alg: 'RS256', key: keys.idp.privateKey })
    const at = () => policy({ keys: { publicKeys: [keys.idp.publicKey] }, now: clock.now() })
    clock.advance('5m59s')
    await verifyJwt(token, at())
    clock.advance('2s')
    await expect(verifyJwt(token, at())).rejects.toMatchObject({ code: 'JWT_EXPIRED' })
  })
})
