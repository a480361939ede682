import type { Context } from 'hono'
import { pkceChallenge } from '../../core/jwt/pkce.ts'
import type { IdpContext } from '../context.ts'
import { journalTokenRequest } from '../faults/journal-entries.ts'
import { authenticateClient } from './client-auth.ts'
import type { OidcClient } from './clients.ts'
import type { Grant } from './grants.ts'
import { issueIdToken } from './id-token.ts'
import { OAuthError, oauthErrorResponse } from './oauth-error.ts'

/**
 * POST /oidc/token — the token endpoint (RFC 6749 §3.2, OIDC Core §3.1.3). In order:
 *   1. a form body; one client authentication method (client-auth.ts)      invalid_request / invalid_client
 *   2. grant_type authorization_code or refresh_token                      unsupported_grant_type
 *   authorization_code:
 *   3. the code exists, unexpired and unused — a reused code revokes every
 *      token issued from it (RFC 6749 §4.1.2)                              invalid_grant
 *   4. issued to this client, for this redirect_uri                        invalid_grant
 *   5. PKCE: the code_verifier matches the challenge; none without one     invalid_grant
 *   refresh_token:
 *   3. the token exists and is unused (rotation; reuse revokes the grant)  invalid_grant
 *   4. issued to this client; `scope` no wider than granted; only then is
 *      the token spent                                                     invalid_grant / invalid_scope
 * Then: a Bearer access token, a new refresh token, and in OIDC mode an ID token.
 */
export async function tokenEndpoint(ctx: IdpContext, c: Context) {
  try {
    const body = await formBody(c)
    const client = authenticateClient(c.req.header('authorization'), body, ctx.oidcClients)
    journalTokenRequest(ctx, client.clientId, c.req.header('authorization'), body)
    switch (body.grant_type) {
      case 'authorization_code':
        return c.json(await exchangeCode(ctx, client, body), 200, noStore)
      case 'refresh_token':
        return c.json(await refresh(ctx, client, body), 200, noStore)
      default:
        throw new OAuthError(
          400,
          'unsupported_grant_type',
          'grant_type must be authorization_code or refresh_token',
        )
    }
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorResponse(c, error, ctx.options.log)
    throw error
  }
}

const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

async function exchangeCode(ctx: IdpContext, client: OidcClient, body: Record<string, string>) {
  const taken = ctx.oidcGrants.takeCode(body.code ?? '')
  if (taken?.kind === 'reused') {
    ctx.oidcGrants.revoke(taken.grantId)
    throw new OAuthError(400, 'invalid_grant', 'the code was already used; its tokens are revoked')
  }
  if (!taken) throw new OAuthError(400, 'invalid_grant', 'the code is unknown or expired')
  const { code } = taken
  if (code.clientId !== client.clientId)
    throw new OAuthError(400, 'invalid_grant', 'the code was issued to another client')
  if (body.redirect_uri !== code.redirectUri) {
    throw new OAuthError(
      400,
      'invalid_grant',
      'redirect_uri differs from the authorization request',
    )
  }
  const verifier = body.code_verifier
  if (code.codeChallenge === undefined) {
    if (verifier !== undefined)
      throw new OAuthError(
        400,
        'invalid_grant',
        'code_verifier sent, but the request had no code_challenge',
      )
  } else if (
    verifier === undefined ||
    pkceChallenge(verifier, code.codeChallengeMethod ?? 'plain') !== code.codeChallenge
  ) {
    throw new OAuthError(
      400,
      'invalid_grant',
      'the code_verifier does not match the code_challenge',
    )
  }
  return tokens(ctx, client, code, code.nonce, false)
}

async function refresh(ctx: IdpContext, client: OidcClient, body: Record<string, string>) {
  const value = body.refresh_token ?? ''
  const grant = ctx.oidcGrants.refreshToken(value)
  if (!grant) {
    const taken = ctx.oidcGrants.takeRefreshToken(value)
    if (taken?.kind === 'reused') {
      ctx.oidcGrants.revoke(taken.grantId)
      throw new OAuthError(
        400,
        'invalid_grant',
        'the refresh token was already used; its grant is revoked',
      )
    }
    throw new OAuthError(400, 'invalid_grant', 'the refresh token is unknown or expired')
  }
  if (grant.clientId !== client.clientId) {
    throw new OAuthError(400, 'invalid_grant', 'the refresh token was issued to another client')
  }
  const asked = body.scope?.split(' ').filter((scope) => scope !== '')
  if (asked?.some((scope) => !grant.scopes.includes(scope))) {
    throw new OAuthError(400, 'invalid_scope', 'scope is wider than the grant')
  }
  if (!ctx.users.get(grant.userId)) {
    throw new OAuthError(400, 'invalid_grant', 'the user no longer exists')
  }
  ctx.oidcGrants.takeRefreshToken(value)
  return tokens(ctx, client, { ...grant, scopes: asked ?? grant.scopes }, undefined, true)
}

async function tokens(
  ctx: IdpContext,
  client: OidcClient,
  grant: Grant,
  nonce: string | undefined,
  refresh: boolean,
) {
  const accessToken = ctx.oidcGrants.issueAccessToken(
    grant,
    client.accessTokenLifetimeSeconds * 1000,
  )
  const oidc = client.mode === 'oidc' && grant.scopes.includes('openid')
  ctx.options.log(`IdP OIDC tokens for ${client.clientId} (${grant.userId})`)
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: client.accessTokenLifetimeSeconds,
    scope: grant.scopes.join(' '),
    ...(oidc
      ? { id_token: await issueIdToken(ctx, client, grant, { nonce, accessToken, refresh }) }
      : {}),
    ...(client.issueRefreshToken ? { refresh_token: ctx.oidcGrants.issueRefreshToken(grant) } : {}),
  }
}

async function formBody(c: Context): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? ''
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthError(
      400,
      'invalid_request',
      'the body must be application/x-www-form-urlencoded',
    )
  }
  const body = await c.req.parseBody()
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  )
}
