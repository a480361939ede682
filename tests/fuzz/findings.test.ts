import { generateKeyPairSync } from 'node:crypto'
import { exportJWK, type JSONWebKeySet } from 'jose'
import { describe, expect, it } from 'vitest'
import { signJwt } from '../../core/jwt/sign.ts'
import { verifyJwt } from '../../core/jwt/verify.ts'

/** What fuzzing found, each fixed at its source; one test per finding (README of tests/fuzz). */
describe('findings of the fuzz tests', () => {
  it('a JWKS member WebCrypto cannot import (an RSA key without "e") is no candidate, not a 500', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const { e: _e, ...withoutExponent } = await exportJWK(publicKey)
    const set: JSONWebKeySet = { keys: [{ ...withoutExponent, kid: 'k1', alg: 'RS256' }] }
    const now = Date.parse('2030-01-01T12:00:00Z')
    const token = await signJwt(
      { sub: 'alice', iat: now / 1000, exp: now / 1000 + 60 },
      { alg: 'RS256', kid: 'k1', key: privateKey },
    )
    const verifying = verifyJwt(token, {
      algorithms: ['RS256'],
      keys: { jwks: { get: async () => set, refresh: async () => undefined } },
      clockSkewMs: 0,
      now,
      maxBytes: 8192,
    })
    await expect(verifying).rejects.toMatchObject({ code: 'JWT_KEY_UNKNOWN' })
  })
})
