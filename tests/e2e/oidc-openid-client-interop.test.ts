import * as client from 'openid-client'
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../core/clock/index.ts'
import { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { createInProcessPair, idpUrl } from '../fixtures/in-process.ts'

// A relying party nobody here wrote: openid-client, against the mock IdP in-process.
const rpUrl = 'http://localhost:7300'
const redirectUri = `${rpUrl}/cb`

async function setup(auth: 'basic' | 'post') {
  const pair = await createInProcessPair()
  const { idp, clock } = pair
  idp.oidcClients.register({
    clientId: 'interop',
    clientSecret: 'interop-secret-0123456789',
    redirectUris: [redirectUri],
    postLogoutRedirectUris: [`${rpUrl}/bye`],
    claims: { membership: ['membershipLevel', 'customerNumber'] },
    scopes: ['openid', 'profile', 'email', 'phone', 'membership', 'offline_access'],
  })
  const inProcess: client.CustomFetch = async (url, options) =>
    idp.app.request(url, options as RequestInit)
  const config = await client.discovery(
    new URL(idpUrl),
    'interop',
    // openid-client reads the time itself: tell it how far the IdP's virtual clock is ahead.
    { [client.clockSkew]: Math.round((clock.now() - systemClock.now()) / 1000) },
    auth === 'basic'
      ? client.ClientSecretBasic('interop-secret-0123456789')
      : client.ClientSecretPost('interop-secret-0123456789'),
    { execute: [client.allowInsecureRequests], [client.customFetch]: inProcess },
  )
  const agent = new UserAgent({
    origins: { [idpUrl]: idp.app.fetch, [rpUrl]: () => new Response('relying party') },
  })
  return { ...pair, config, agent }
}

describe('openid-client against the mock OpenID Connect provider', () => {
  it.each(['basic', 'post'] as const)(
    'discovery, code flow with PKCE, userinfo and refresh (client_secret_%s)',
    async (auth) => {
      const { config, agent } = await setup(auth)
      expect(config.serverMetadata().issuer).toBe(idpUrl)
      expect(config.serverMetadata().code_challenge_methods_supported).toContain('S256')

      const verifier = client.randomPKCECodeVerifier()
      const state = client.randomState()
      const nonce = client.randomNonce()
      const authorizationUrl = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid profile email membership offline_access',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      })
      const form = await agent.navigate(authorizationUrl.href)
      expect(form.document.querySelector('#login-form')).not.toBeNull()
      expect(form.html).toContain('interop')
      const back = await agent.submit(
        form,
        '#login-form',
        { username: 'alice' },
        { name: 'action', value: 'login' },
      )
      expect(back.url.startsWith(`${redirectUri}?code=`)).toBe(true)

      const tokens = await client.authorizationCodeGrant(config, new URL(back.url), {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      })
      const claims = tokens.claims()
      expect(claims).toMatchObject({ iss: idpUrl, sub: 'alice', aud: 'interop', nonce })
      expect(claims?.at_hash).toEqual(expect.any(String))
      expect(claims?.auth_time).toEqual(expect.any(Number))
      expect(tokens.token_type).toBe('bearer')

      const info = await client.fetchUserInfo(config, tokens.access_token, 'alice')
      expect(info).toMatchObject({
        sub: 'alice',
        name: 'Alice Andersen',
        email: 'alice@example.com',
        email_verified: true,
        membershipLevel: 'gold',
        customerNumber: 'C-1001',
      })
      expect(info).not.toHaveProperty('phone_number')

      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token ?? '')
      expect(refreshed.access_token).not.toBe(tokens.access_token)
      expect(refreshed.claims()?.sub).toBe('alice')
      const again = await client.fetchUserInfo(config, refreshed.access_token, 'alice')
      expect(again.email).toBe('alice@example.com')
      // Refresh tokens rotate: the old one is spent.
      await expect(
        client.refreshTokenGrant(config, tokens.refresh_token ?? ''),
      ).rejects.toMatchObject({ error: 'invalid_grant' })

      const logout = client.buildEndSessionUrl(config, {
        id_token_hint: tokens.id_token ?? '',
        post_logout_redirect_uri: `${rpUrl}/bye`,
        state: 'after-logout',
      })
      const bye = await agent.navigate(logout.href)
      expect(bye.url).toBe(`${rpUrl}/bye?state=after-logout`)
    },
  )
})
