import { describe, expect, it } from 'vitest'
import { idpUrl, spUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { createSp } from '../create-sp.tsx'
import type { SpJwtSettings } from './settings.ts'

async function spWith(jwt: SpJwtSettings | undefined) {
  const keys = await testCredentials()
  return () =>
    createSp({
      baseUrl: spUrl,
      credential: keys.sp,
      protocol: 'jwt',
      ...(jwt ? { jwt } : {}),
      log: () => {},
    })
}

describe('JWT settings of the reference SP, validated at start', () => {
  it.each([
    ['no jwt settings at all', undefined, 'jwt'],
    ['RS256 without a key', { loginUrl: `${idpUrl}/jwt/login` }, 'jwt.certificates'],
    ['HS256 without a secret', { algorithms: ['HS256'] }, 'jwt.secret'],
    [
      'a certificate that is not one',
      { certificates: ['not a certificate'] },
      'jwt.certificates.0',
    ],
    [
      'a private key',
      { certificates: ['-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'] },
      'jwt.certificates.0',
    ],
    [
      'an unknown key',
      { jwksUrl: `${idpUrl}/jwt/jwks.json`, extra: true },
      'jwt: Unrecognized key: "extra"',
    ],
    ['alg none', { jwksUrl: `${idpUrl}/jwt/jwks.json`, algorithms: ['none'] }, 'jwt.algorithms.0'],
    [
      'a javascript: login URL',
      { jwksUrl: `${idpUrl}/jwt/jwks.json`, loginUrl: 'javascript:x' },
      'jwt.loginUrl',
    ],
  ])('refuses %s', async (_, jwt, path) => {
    const create = await spWith(jwt as SpJwtSettings | undefined)
    expect(create).toThrowError(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    try {
      create()
    } catch (error) {
      expect((error as Error).message).toContain(path)
      expect((error as Error).message).not.toContain('PRIVATE KEY')
    }
  })

  it('accepts a PEM certificate, a PEM public key, or a JWKS URL', async () => {
    const keys = await testCredentials()
    const publicKeyPem = keys.idp.publicKey.export({ format: 'pem', type: 'spki' }).toString()
    for (const jwt of [
      { certificates: [keys.idp.certificatePem] },
      { certificates: [publicKeyPem, keys.idp.certificateBase64] },
      { jwksUrl: `${idpUrl}/jwt/jwks.json` },
    ]) {
      expect((await spWith(jwt))().config.jwt?.algorithms).toEqual(['RS256'])
    }
  })

  it('without a remote login URL, /login says the IdP must sign visitors in from its pages', async () => {
    const keys = await testCredentials()
    const sp = (await spWith({ certificates: [keys.idp.certificatePem] }))()
    const page = await sp.app.request('/login')
    expect(page.status).toBe(403)
    expect(await page.text()).toContain('JWT_LOGIN_UNCONFIGURED')
  })
})
