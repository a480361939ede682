import * as oauth from 'oauth4webapi'
import {
  type RpProfile,
  readRpConfig,
  serveRelyingParty,
  type TokenResult,
  tokenResult,
} from './rp-server.ts'

/** oauth4webapi 3 as a relying party of ssoproof's provider: `tsx oauth4webapi-rp.ts config.json`. */
const config = readRpConfig(process.argv[2])
// The lab is plain HTTP on loopback.
const insecure = { [oauth.allowInsecureRequests]: true }
const issuer = new URL(config.issuer)
const server = oauth
  .discoveryRequest(issuer, insecure)
  .then((response) => oauth.processDiscoveryResponse(issuer, response))

function parts(name: string) {
  const profile = config.profiles[name] as RpProfile
  const client: oauth.Client = {
    client_id: profile.clientId,
    id_token_signed_response_alg: profile.idTokenAlg,
  }
  const secret = profile.clientSecret ?? ''
  const auth =
    profile.auth === 'client_secret_basic'
      ? oauth.ClientSecretBasic(secret)
      : profile.auth === 'client_secret_post'
        ? oauth.ClientSecretPost(secret)
        : oauth.None()
  return { client, auth }
}

function tokensOf(answer: oauth.TokenEndpointResponse): TokenResult {
  return tokenResult(answer, oauth.getValidatedIdTokenClaims(answer))
}

serveRelyingParty(config, {
  library: 'oauth4webapi',
  async authorizationUrl(profile, pending, redirectUri) {
    const as = await server
    const url = new URL(as.authorization_endpoint ?? '')
    const query = {
      client_id: parts(profile).client.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid profile email offline_access',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    }
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value)
    return url.href
  },
  async callback(profile, pending, currentUrl) {
    const as = await server
    const { client, auth } = parts(profile)
    // Checks state, and iss where the provider advertises RFC 9207.
    const params = oauth.validateAuthResponse(as, client, currentUrl, pending.state)
    const redirectUri = `${currentUrl.origin}${currentUrl.pathname}`
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      params,
      redirectUri,
      pending.verifier,
      insecure,
    )
    const tokens = tokensOf(
      await oauth.processAuthorizationCodeResponse(as, client, response, {
        expectedNonce: pending.nonce,
        requireIdToken: true,
      }),
    )
    const info = await oauth.userInfoRequest(as, client, tokens.accessToken, insecure)
    const userinfo = await oauth.processUserInfoResponse(
      as,
      client,
      String(tokens.claims.sub),
      info,
    )
    return { ...tokens, userinfo: { ...userinfo } }
  },
  async refresh(profile, refreshToken) {
    const as = await server
    const { client, auth } = parts(profile)
    const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, insecure)
    return tokensOf(await oauth.processRefreshTokenResponse(as, client, response))
  },
})
