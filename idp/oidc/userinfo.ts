import type { Context } from 'hono'
import { signJwt } from '../../core/jwt/sign.ts'
import type { IdpContext } from '../context.ts'
import { withClaimSources } from '../faults/claim-sources.ts'
import { userinfoClaims } from '../faults/endpoint-faults.ts'
import { signerFor } from './client-signer.ts'
import { OAuthError, oauthErrorResponse } from './oauth-error.ts'
import { claimsFor, renameClaims } from './scopes.ts'

/**
 * GET|POST /oidc/userinfo (OIDC Core §5.3): the access token as a Bearer header, or as the
 * `access_token` form field of a POST (RFC 6750 §2.1, §2.2) — one of them. Answers the claims the
 * granted scopes release (scopes.ts); in OAuth2 mode under the client's claim names. A client
 * that registered `userinfoSignedResponseAlg` gets them as a signed JWT (application/jwt) with
 * `iss` and `aud` (OIDC Core §5.3.2).
 */
export async function userinfo(ctx: IdpContext, c: Context) {
  try {
    const token = await accessTokenOf(c)
    const grant = token === undefined ? undefined : ctx.oidcGrants.accessToken(token)
    const client = grant ? ctx.oidcClients.get(grant.clientId) : undefined
    const user = grant ? ctx.users.get(grant.userId) : undefined
    if (!grant || !client || !user) {
      throw new OAuthError(
        401,
        'invalid_token',
        'the access token is unknown, expired or revoked',
        'Bearer error="invalid_token"',
      )
    }
    if (client.mode === 'oidc' && !grant.scopes.includes('openid')) {
      throw new OAuthError(
        403,
        'insufficient_scope',
        'userinfo needs the openid scope',
        'Bearer error="insufficient_scope", scope="openid"',
      )
    }
    const claims = await withClaimSources(
      ctx,
      { sp: client.clientId, user: user.id },
      userinfoClaims(ctx, client.clientId, user.id, claimsFor(user, grant.scopes, client)),
    )
    c.header('Cache-Control', 'no-store')
    const alg = client.userinfoSignedResponseAlg
    ctx.journal.record(client.clientId, {
      message: 'OidcUserinfo',
      accessToken: c.req.header('authorization') === undefined ? 'form' : 'header',
      answer: alg === undefined ? 'json' : 'jwt',
    })
    if (alg !== undefined) {
      const signer = await signerFor(ctx, alg, client.clientSecret)()
      const jwt = await signJwt(
        { ...claims, iss: ctx.options.issuer, aud: client.clientId },
        signer,
      )
      return c.body(jwt, 200, { 'Content-Type': 'application/jwt' })
    }
    return c.json(client.mode === 'oauth2' ? renameClaims(claims, client.claimNames) : claims)
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorResponse(c, error, ctx.options.log)
    throw error
  }
}

async function accessTokenOf(c: Context): Promise<string | undefined> {
  const header = c.req.header('authorization')
  const bearer = header?.match(/^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i)?.[1]
  if (header !== undefined && bearer === undefined) {
    throw new OAuthError(400, 'invalid_request', 'the Authorization header is not a Bearer token')
  }
  const type = c.req.header('content-type') ?? ''
  const form =
    c.req.method === 'POST' && type.toLowerCase().startsWith('application/x-www-form-urlencoded')
      ? (await c.req.parseBody()).access_token
      : undefined
  if (bearer !== undefined && form !== undefined) {
    throw new OAuthError(400, 'invalid_request', 'send the access token one way, not two')
  }
  if (bearer === undefined && typeof form !== 'string') {
    throw new OAuthError(401, 'invalid_token', 'no access token', 'Bearer')
  }
  return bearer ?? (form as string)
}
