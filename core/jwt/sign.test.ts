import { generateKeyPairSync } from 'node:crypto'
import { compactVerify, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { testCredentials } from '../../tests/fixtures/in-process.ts'
import { signJwt } from './sign.ts'

const claims = {
  iss: 'https://idp.example',
  sub: 'alice',
  aud: ['client', 'other'],
  iat: 1_900_000_000,
  exp: 1_900_000_300,
  nonce: 'n-0S6_WzA2Mj',
  name: 'Zoë',
}

const header = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'))

describe('signJwt', () => {
  it('writes RS256, RS384 and RS512 tokens byte for byte as jose SignJWT does', async () => {
    const { idp } = await testCredentials()
    for (const alg of ['RS256', 'RS384', 'RS512'] as const) {
      for (const kid of [undefined, 'key-1']) {
        const ours = await signJwt(claims, {
          alg,
          key: idp.privateKey,
          ...(kid !== undefined ? { kid } : {}),
        })
        const jose = await new SignJWT(claims)
          .setProtectedHeader({ alg, typ: 'JWT', ...(kid !== undefined ? { kid } : {}) })
          .sign(idp.privateKey)
        expect(ours).toBe(jose)
      }
    }
  })

  it('writes ES256 tokens that verify with the public key, the signature as R ‖ S', async () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const token = await signJwt(
      claims,
      { alg: 'ES256', kid: 'ec-1', key: p256.privateKey },
      'logout+jwt',
    )
    expect(header(token)).toEqual({ alg: 'ES256', typ: 'logout+jwt', kid: 'ec-1' })
    expect(Buffer.from(token.split('.')[2] ?? '', 'base64url')).toHaveLength(64)
    const verified = await compactVerify(token, p256.publicKey)
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual(claims)
  })

  it('signs an RSA token without a round trip through the thread pool', async () => {
    const { idp } = await testCredentials()
    await signJwt(claims, { alg: 'RS256', key: idp.privateKey })
    let turned = false
    const turn = setImmediate(() => {
      turned = true
    })
    await signJwt(claims, { alg: 'RS256', key: idp.privateKey })
    clearImmediate(turn)
    expect(turned).toBe(false)
  })

  it('refuses what jose refuses: a key of another type or curve, an RSA key under 2048 bits', async () => {
    const { idp } = await testCredentials()
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 })
    await expect(signJwt(claims, { alg: 'ES256', key: p384.privateKey })).rejects.toThrow()
    await expect(signJwt(claims, { alg: 'ES256', key: idp.privateKey })).rejects.toThrow()
    await expect(signJwt(claims, { alg: 'RS256', key: small.privateKey })).rejects.toThrow(/2048/)
    await expect(signJwt(claims, { alg: 'RS256', key: idp.publicKey })).rejects.toThrow()
  })
})
