import { expect } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { pkceChallenge } from '../../core/jwt/pkce.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import { idpUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { createIdp } from '../create-idp.tsx'
import type { OidcClientInput } from './clients.ts'

/*
 * The provider tests' world: an IdP with three clients — `rp` (confidential, two audiences,
 * refuses unknown scopes), `spa` (public, ES256) and `legacy` (OAuth2 mode, renamed parameters
 * and claims) — plus any extra clients a test registers, and helpers that play the client.
 */

export const redirectUri = 'https://rp.example/cb'
export const secret = 'rp-secret-0123456789abcdef'
export const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'

export async function setup(extraClients: OidcClientInput[] = []) {
  const keys = await testCredentials()
  const clock = createManualClock('2030-01-01T12:00:00Z')
  const idp = createIdp({
    baseUrl: idpUrl,
    credential: keys.idp,
    clock,
    random: createSeededRandom('oidc-provider'),
    log: () => {},
    oidcClients: [
      {
        clientId: 'rp',
        clientSecret: secret,
        redirectUris: [redirectUri],
        postLogoutRedirectUris: ['https://rp.example/bye'],
        additionalAudiences: ['https://api.example'],
        unknownScopes: 'refuse',
      },
      {
        clientId: 'spa',
        redirectUris: ['https://spa.example/cb'],
        idTokenSignedResponseAlg: 'ES256',
      },
      {
        clientId: 'legacy',
        clientSecret: secret,
        redirectUris: ['https://legacy.example/oauth'],
        mode: 'oauth2',
        scopes: ['basic'],
        claims: { basic: ['email', 'name'] },
        parameterNames: { client_id: 'appid', redirect_uri: 'callback', state: 'st' },
        claimNames: { sub: 'user_id', email: 'mail' },
      },
      ...extraClients,
    ],
  })
  return { idp, clock, keys }
}

export type Setup = Awaited<ReturnType<typeof setup>>

export function authorizeUrl(params: Record<string, string>) {
  return `/oidc/authorize?${new URLSearchParams(
    Object.entries({
      client_id: 'rp',
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid profile email',
      state: 'st-1',
      nonce: 'n-1',
      code_challenge: pkceChallenge(verifier, 'S256'),
      code_challenge_method: 'S256',
      ...params,
    }).filter(([, value]) => value !== ''),
  ).toString()}`
}

/** A code for `user` without a form: a queued headless sign-in answers the request. */
export async function codeFor({ idp }: Setup, params: Record<string, string> = {}, user = 'alice') {
  await idp.app.request('/admin/next-login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: user }),
  })
  const answer = await idp.app.request(authorizeUrl(params))
  expect(answer.status).toBe(302)
  return new URL(answer.headers.get('location') ?? '')
}

export function tokenRequest({ idp }: Setup, body: Record<string, string>, basic?: string) {
  return idp.app.request('/oidc/token', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(basic ? { authorization: `Basic ${Buffer.from(basic).toString('base64')}` } : {}),
    },
    body: new URLSearchParams(body).toString(),
  })
}

export async function exchange(world: Setup, code: string, extra: Record<string, string> = {}) {
  return tokenRequest(
    world,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      ...extra,
    },
    `rp:${secret}`,
  )
}
