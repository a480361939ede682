import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { currentKid } from '../../tests/fixtures/idp-keys.ts'
import { idpUrl } from '../../tests/fixtures/in-process.ts'
import { codeFor, exchange, redirectUri, secret, setup, tokenRequest } from './test-support.ts'

const hsSecret = 'an-hs256-client-secret-of-32-bytes-or-more'

async function tokensOf(world: Awaited<ReturnType<typeof setup>>) {
  const code = (await codeFor(world)).searchParams.get('code') ?? ''
  return (await (await exchange(world, code)).json()) as Record<string, string>
}

async function jwksOf(world: Awaited<ReturnType<typeof setup>>) {
  return createLocalJWKSet((await (await world.idp.app.request('/oidc/jwks')).json()) as never)
}

describe('ID tokens', () => {
  it('carry the IdP session sid, the same for every client and every refresh of the session', async () => {
    const world = await setup()
    const first = await tokensOf(world)
    const sid = decodeJwt(first.id_token ?? '').sid
    expect(sid).toEqual(expect.any(String))
    const session = world.idp.sessions.forUser('alice')[0]
    expect(sid).toBe(session?.sid)
    const refreshed = await tokenRequest(
      world,
      { grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' },
      `rp:${secret}`,
    )
    const { id_token } = (await refreshed.json()) as { id_token: string }
    expect(decodeJwt(id_token).sid).toBe(sid)
    expect(world.idp.sessions.forUser('alice')[0]?.relyingParties).toEqual([
      { protocol: 'oidc', id: 'rp', sub: 'alice' },
    ])
  })

  it('HS256 clients get ID tokens signed with their secret (OIDC Core 10.1)', async () => {
    const world = await setup([
      {
        clientId: 'hs',
        clientSecret: hsSecret,
        redirectUris: [redirectUri],
        idTokenSignedResponseAlg: 'HS256',
      },
    ])
    const code = (await codeFor(world, { client_id: 'hs' })).searchParams.get('code') ?? ''
    const answer = await tokenRequest(
      world,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      },
      `hs:${hsSecret}`,
    )
    const { id_token } = (await answer.json()) as { id_token: string }
    expect(decodeProtectedHeader(id_token)).toEqual({ alg: 'HS256', typ: 'JWT' })
    await jwtVerify(id_token, new TextEncoder().encode(hsSecret), {
      issuer: idpUrl,
      audience: 'hs',
    })
  })

  it('jwt-signature-invalid: the real kid, the real algorithm, a signature that fails by one bit', async () => {
    const world = await setup()
    world.idp.faults.add({ kind: 'jwt-signature-invalid', remaining: 1 })
    const { id_token } = await tokensOf(world)
    const header = decodeProtectedHeader(id_token ?? '')
    expect(header.kid).toBe(await currentKid(world.idp, 'RS256'))
    await expect(jwtVerify(id_token ?? '', await jwksOf(world))).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    })
    await jwtVerify((await tokensOf(world)).id_token ?? '', await jwksOf(world))
  })

  it.each([
    ['sub', 'mallory'],
    ['iss', 'https://other-idp.example'],
    ['aud', 'https://other-client.example'],
  ] as const)(
    'oidc-refresh-claim %s: only the refreshed ID token changes it',
    async (claim, value) => {
      const world = await setup()
      world.idp.faults.add({ kind: 'oidc-refresh-claim', claim })
      const first = await tokensOf(world)
      expect(decodeJwt(first.id_token ?? '')[claim]).not.toBe(value)
      const refreshed = await tokenRequest(
        world,
        { grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' },
        `rp:${secret}`,
      )
      const { id_token } = (await refreshed.json()) as { id_token: string }
      expect(decodeJwt(id_token)[claim]).toBe(value)
    },
  )

  it('jwt-key-rotation staged: published first, signing from the next token on', async () => {
    const world = await setup()
    const oldKid = await currentKid(world.idp, 'RS256')
    world.idp.faults.add({ kind: 'jwt-key-rotation', when: 'staged', remaining: 2 })
    const first = decodeProtectedHeader((await tokensOf(world)).id_token ?? '')
    const published = (await world.idp.keys.list()).filter((key) => key.alg === 'RS256')
    expect(first.kid).toBe(oldKid)
    expect(published.map((key) => key.state)).toEqual(['current', 'next'])
    const second = decodeProtectedHeader((await tokensOf(world)).id_token ?? '')
    expect(second.kid).toBe(published[1]?.kid)
    expect(await currentKid(world.idp, 'RS256')).toBe(published[1]?.kid)
  })
})
