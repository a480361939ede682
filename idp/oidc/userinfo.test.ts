import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { idpUrl } from '../../tests/fixtures/in-process.ts'
import type { OidcClientInput } from './clients.ts'
import { codeFor, redirectUri, type Setup, secret, setup } from './test-support.ts'

const hsSecret = 'an-hs256-client-secret-of-32-bytes-or-more'

/** Alice's access token for the client `rp` (or another client registered like it). */
async function accessToken(world: Setup, clientId = 'rp', clientSecret = secret) {
  const code = (await codeFor(world, { client_id: clientId })).searchParams.get('code') ?? ''
  const answer = await world.idp.app.request('/oidc/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      client_secret: clientSecret,
      code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    }).toString(),
  })
  return ((await answer.json()) as { access_token: string }).access_token
}

const userinfo = (world: Setup, token: string) =>
  world.idp.app.request('/oidc/userinfo', { headers: { authorization: `Bearer ${token}` } })

const signedClient = (clientId: string, alg: 'RS256' | 'HS256'): OidcClientInput => ({
  clientId,
  clientSecret: hsSecret,
  redirectUris: [redirectUri],
  userinfoSignedResponseAlg: alg,
})

describe('signed userinfo (userinfoSignedResponseAlg)', () => {
  it('RS256: a JWT with iss and aud, signed with the published key', async () => {
    const world = await setup([signedClient('signed', 'RS256')])
    const answer = await userinfo(world, await accessToken(world, 'signed', hsSecret))
    expect(answer.headers.get('content-type')).toBe('application/jwt')
    const jwks = createLocalJWKSet(
      (await (await world.idp.app.request('/oidc/jwks')).json()) as never,
    )
    const { payload } = await jwtVerify(await answer.text(), jwks, {
      issuer: idpUrl,
      audience: 'signed',
    })
    expect(payload).toMatchObject({ sub: 'alice', email: 'alice@example.com' })
  })

  it('HS256: signed with the client secret', async () => {
    const world = await setup([signedClient('hs', 'HS256')])
    const jwt = await (await userinfo(world, await accessToken(world, 'hs', hsSecret))).text()
    expect(decodeProtectedHeader(jwt).alg).toBe('HS256')
    await jwtVerify(jwt, new TextEncoder().encode(hsSecret), { issuer: idpUrl, audience: 'hs' })
  })

  it('an HS256 client needs a secret of 32 bytes or more', async () => {
    const world = await setup()
    expect(() =>
      world.idp.oidcClients.register({
        clientId: 'short',
        clientSecret: 'only-sixteen-byt',
        redirectUris: [redirectUri],
        idTokenSignedResponseAlg: 'HS256',
      }),
    ).toThrow(/idTokenSignedResponseAlg/)
  })

  it('JSON for a client that registered no signing algorithm', async () => {
    const world = await setup()
    const answer = await userinfo(world, await accessToken(world))
    expect(answer.headers.get('content-type')).toContain('application/json')
  })
})

describe('claim sources (oidc-claim-sources)', () => {
  it('aggregated: the claims move into a JWT signed by the IdP', async () => {
    const world = await setup()
    world.idp.faults.add({ kind: 'oidc-claim-sources', delivery: 'aggregated' })
    const claims = (await (await userinfo(world, await accessToken(world))).json()) as Record<
      string,
      { src1?: { JWT?: string } }
    >
    expect(claims).not.toHaveProperty('email')
    expect(claims._claim_names).toEqual({ email: 'src1' })
    const jwt = claims._claim_sources?.src1?.JWT ?? ''
    expect(decodeJwt(jwt)).toMatchObject({ email: 'alice@example.com', iss: idpUrl })
    expect(decodeProtectedHeader(jwt).kid).toEqual(expect.any(String))
  })

  it('distributed: an endpoint and a token; the endpoint answers the JWT once asked with it', async () => {
    const world = await setup()
    world.idp.faults.add({
      kind: 'oidc-claim-sources',
      delivery: 'distributed',
      signature: 'none',
    })
    const claims = (await (await userinfo(world, await accessToken(world))).json()) as {
      _claim_sources: { src1: { endpoint: string; access_token: string } }
    }
    const { endpoint, access_token } = claims._claim_sources.src1
    expect(endpoint).toBe(`${idpUrl}/oidc/claims`)
    expect((await world.idp.app.request('/oidc/claims')).status).toBe(401)
    const answer = await world.idp.app.request('/oidc/claims', {
      headers: { authorization: `Bearer ${access_token}` },
    })
    expect(answer.headers.get('content-type')).toBe('application/jwt')
    const jwt = await answer.text()
    expect(decodeProtectedHeader(jwt).alg).toBe('none')
    expect(decodeJwt(jwt)).toMatchObject({ email: 'alice@example.com' })
  })
})
