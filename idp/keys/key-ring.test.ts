import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { SsoError } from '../../core/errors/index.ts'
import { signJwt } from '../../core/jwt/sign.ts'
import { testCredentials } from '../../tests/fixtures/in-process.ts'
import { createKeyRing } from './key-ring.ts'

async function ring() {
  const keys = await testCredentials()
  const clock = createManualClock('2030-01-01T00:00:00Z')
  const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  return { ring: createKeyRing({ rsaKey: keys.idp.privateKey, ecKey, clock }), keys, ecKey, clock }
}

describe('the IdP key ring', () => {
  it('publishes the credential’s RSA key and a P-256 key, each with its RFC 7638 thumbprint as kid', async () => {
    const { ring: keys, keys: credentials, ecKey } = await ring()
    const { keys: published } = await keys.jwks()
    expect(published.map((jwk) => [jwk.kty, jwk.alg, jwk.use])).toEqual([
      ['RSA', 'RS256', 'sig'],
      ['EC', 'ES256', 'sig'],
    ])
    const rsa = published[0]
    expect(rsa?.kid).toBe(
      await calculateJwkThumbprint(
        createPublicKey(credentials.idp.privateKey).export({ format: 'jwk' }) as never,
      ),
    )
    expect(published[1]?.crv).toBe('P-256')
    expect(published[1]?.kid).toBe(
      await calculateJwkThumbprint(createPublicKey(ecKey).export({ format: 'jwk' }) as never),
    )
    for (const jwk of published) expect(jwk).not.toHaveProperty('d')
  })

  it('signs with the current key under its kid; a token verifies against the published set', async () => {
    const { ring: keys } = await ring()
    const signer = await keys.signer('ES256')
    const token = await signJwt({ sub: 'alice' }, signer)
    const { protectedHeader } = await jwtVerify(token, createLocalJWKSet(await keys.jwks()))
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: signer.kid })
  })

  it('rotates: a new current key, the old one still published until retired', async () => {
    const { ring: keys, clock } = await ring()
    const old = await keys.signer('RS256')
    const oldToken = await signJwt({ sub: 'alice' }, old)
    clock.advance('1h')
    const next = await keys.rotate('RS256')
    expect(next).toMatchObject({ alg: 'RS256', state: 'current', createdAt: clock.now() })
    expect((await keys.signer('RS256')).kid).toBe(next.kid)
    expect((await keys.list()).find((key) => key.kid === old.kid)?.state).toBe('previous')
    await jwtVerify(oldToken, createLocalJWKSet(await keys.jwks()))

    await expect(keys.retire(next.kid)).rejects.toThrow(SsoError)
    await keys.retire(old.kid ?? '')
    expect((await keys.jwks()).keys.map((jwk) => jwk.kid)).not.toContain(old.kid)
    await expect(jwtVerify(oldToken, createLocalJWKSet(await keys.jwks()))).rejects.toThrow()
    await expect(keys.retire('no-such-kid')).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('stages: the next key is published first and signs only from the next rotation on', async () => {
    const { ring: keys } = await ring()
    const old = await keys.signer('ES256')
    const staged = await keys.stage('ES256')
    expect(staged.state).toBe('next')
    expect(await keys.stage('ES256')).toEqual(staged)
    expect((await keys.jwks()).keys.map((jwk) => jwk.kid)).toContain(staged.kid)
    expect((await keys.signer('ES256')).kid).toBe(old.kid)
    await expect(keys.retire(staged.kid)).rejects.toMatchObject({ code: 'CONFIG_INVALID' })
    expect((await keys.rotate('ES256')).kid).toBe(staged.kid)
    expect((await keys.signer('ES256')).kid).toBe(staged.kid)
    expect(await keys.staged('ES256')).toBeUndefined()
    expect((await keys.list()).find((key) => key.kid === old.kid)?.state).toBe('previous')
  })
})
