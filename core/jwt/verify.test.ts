import { constants, generateKeyPairSync, sign } from 'node:crypto'
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

  it('verifies each family through node:crypto: RS, PS, ES (R ‖ S) and HS, and refuses the rest', async () => {
    const keys = await testCredentials()
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const secret = new TextEncoder().encode('s'.repeat(32))
    const cases = [
      { alg: 'RS512', sign: keys.idp.privateKey, verify: { publicKeys: [keys.idp.publicKey] } },
      { alg: 'PS384', sign: keys.idp.privateKey, verify: { publicKeys: [keys.idp.publicKey] } },
      { alg: 'ES256', sign: p256.privateKey, verify: { publicKeys: [p256.publicKey] } },
      { alg: 'HS256', sign: secret, verify: { secret } },
    ] as const
    for (const { alg, sign, verify } of cases) {
      const token = await signJwt(claims, { alg, key: sign })
      const at = policy({ algorithms: [alg], keys: verify })
      expect((await verifyJwt(token, at)).claims.sub).toBe('alice')
      // One flipped bit of the signature (its first character), and one byte short of it.
      const [header, payload, signature = ''] = token.split('.')
      const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`
      const short = Buffer.from(signature, 'base64url').subarray(1).toString('base64url')
      for (const bad of [flipped, short]) {
        await expect(verifyJwt(`${header}.${payload}.${bad}`, at)).rejects.toMatchObject({
          code: 'JWT_SIGNATURE_INVALID',
        })
      }
    }
    const wrongSecret = new TextEncoder().encode('t'.repeat(32))
    const hs = await signJwt(claims, { alg: 'HS256', key: secret })
    await expect(
      verifyJwt(hs, policy({ algorithms: ['HS256'], keys: { secret: wrongSecret } })),
    ).rejects.toMatchObject({ code: 'JWT_SIGNATURE_INVALID' })
  })

  it('takes an RSA signature only at the modulus length: a leading zero octet dropped or added is refused', async () => {
    // RFC 8017 §8.1.2 and §8.2.2, step 1: a signature that is not k octets long is invalid.
    // node:crypto takes a PSS signature shorter than k (the same integer), so a token would
    // have a second spelling: a signature whose first octet is 0, sent without it. PSS salts
    // are random: sign until one starts with 0 (about one in 128–256).
    const keys = await testCredentials()
    const header = Buffer.from('{"alg":"PS384","typ":"JWT"}').toString('base64url')
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url')
    const input = Buffer.from(`${header}.${payload}`)
    const pss = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }
    let signature = sign('sha384', input, { key: keys.idp.privateKey, ...pss })
    for (let tries = 0; signature[0] !== 0 && tries < 20_000; tries++) {
      signature = sign('sha384', input, { key: keys.idp.privateKey, ...pss })
    }
    expect(signature[0]).toBe(0)
    const at = policy({ algorithms: ['PS384'], keys: { publicKeys: [keys.idp.publicKey] } })
    const token = (octets: Buffer) => `${header}.${payload}.${octets.toString('base64url')}`
    expect((await verifyJwt(token(signature), at)).claims.sub).toBe('alice')
    for (const respelled of [signature.subarray(1), Buffer.concat([Buffer.of(0), signature])]) {
      await expect(verifyJwt(token(respelled), at)).rejects.toMatchObject({
        code: 'JWT_SIGNATURE_INVALID',
      })
    }
  })

  it('refuses an RSA key under 2048 bits, as a key that cannot verify', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 })
    // jose will not sign with such a key: node:crypto signs it here.
    const header = Buffer.from('{"alg":"RS256"}').toString('base64url')
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url')
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), small.privateKey)
    const signed = `${header}.${payload}.${signature.toString('base64url')}`
    await expect(
      verifyJwt(signed, policy({ keys: { publicKeys: [small.publicKey] } })),
    ).rejects.toMatchObject({ code: 'JWT_SIGNATURE_INVALID', evidence: { cause: 'TypeError' } })
  })

  it('checks the claims of the payload the signature covers, not of another', async () => {
    const keys = await testCredentials()
    const token = await signJwt(claims, { alg: 'RS256', key: keys.idp.privateKey })
    const other = await signJwt(
      { ...claims, sub: 'mallory' },
      { alg: 'RS256', key: keys.idp.privateKey },
    )
    const [header, , signature] = token.split('.')
    const [, otherPayload] = other.split('.')
    await expect(
      verifyJwt(
        `${header}.${otherPayload}.${signature}`,
        policy({ keys: { publicKeys: [keys.idp.publicKey] } }),
      ),
    ).rejects.toMatchObject({ code: 'JWT_SIGNATURE_INVALID' })
  })
})
