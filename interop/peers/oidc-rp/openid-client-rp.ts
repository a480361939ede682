import * as client from 'openid-client'
import {
  type Pending,
  type RpProfile,
  readRpConfig,
  serveRelyingParty,
  type TokenResult,
  tokenResult,
} from './rp-server.ts'

/** openid-client 6 as a relying party of ssoproof's provider: `tsx openid-client-rp.ts config.json`. */
const config = readRpConfig(process.argv[2])
const configurations = new Map<string, Promise<client.Configuration>>()

function configuration(name: string): Promise<client.Configuration> {
  const known = configurations.get(name)
  if (known) return known
  const profile = config.profiles[name] as RpProfile
  const found = client.discovery(
    new URL(config.issuer),
    profile.clientId,
    { id_token_signed_response_alg: profile.idTokenAlg },
    clientAuth(profile),
    // The lab is plain HTTP on loopback.
    { execute: [client.allowInsecureRequests] },
  )
  configurations.set(name, found)
  return found
}

function clientAuth(profile: RpProfile): client.ClientAuth {
  const secret = profile.clientSecret ?? ''
  if (profile.auth === 'client_secret_basic') return client.ClientSecretBasic(secret)
  if (profile.auth === 'client_secret_post') return client.ClientSecretPost(secret)
  return client.None()
}

function tokensOf(answer: Awaited<ReturnType<typeof client.authorizationCodeGrant>>): TokenResult {
  return tokenResult(answer, answer.claims())
}

serveRelyingParty(config, {
  library: 'openid-client',
  async authorizationUrl(profile, pending: Pending, redirectUri) {
    const url = client.buildAuthorizationUrl(await configuration(profile), {
      redirect_uri: redirectUri,
      scope: 'openid profile email offline_access',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    })
    return url.href
  },
  async callback(profile, pending, currentUrl) {
    const settings = await configuration(profile)
    const answer = await client.authorizationCodeGrant(settings, currentUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    })
    const tokens = tokensOf(answer)
    const userinfo = await client.fetchUserInfo(
      settings,
      tokens.accessToken,
      String(tokens.claims.sub),
    )
    return { ...tokens, userinfo: { ...userinfo } }
  },
  async refresh(profile, refreshToken) {
    return tokensOf(await client.refreshTokenGrant(await configuration(profile), refreshToken))
  },
})
