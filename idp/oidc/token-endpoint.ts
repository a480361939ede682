import type { Context } from 'hono'
import { runCheckTable } from '../../core/checks/run-check-table.ts'
import type { IdpContext } from '../context.ts'
import { journalTokenRequest } from '../faults/journal-entries.ts'
import type { OidcClient } from './clients.ts'
import type { AuthorizationCode, Grant } from './grants.ts'
import { issueIdToken } from './id-token.ts'
import { OAuthError, oauthErrorResponse } from './oauth-error.ts'
import { grantChecks, type TokenChecks, tokenRequestChecks } from './token-checks.ts'

/**
 * POST /oidc/token — the token endpoint (RFC 6749 §3.2, OIDC Core §3.1.3): a form body, then
 * tokenRequestChecks, a grant_type of grantChecks (else unsupported_grant_type) and that grant's
 * checks (token-checks.ts). Then: a Bearer access token, a new refresh token, and in OIDC mode
 * an ID token.
 */
export async function tokenEndpoint(ctx: IdpContext, c: Context) {
  try {
    const body = await formBody(c)
    const authorization = c.req.header('authorization')
    const checks: TokenChecks = { ctx, authorization, body }
    runCheckTable(tokenRequestChecks, () => checks)
    const client = checks.client as OidcClient
    journalTokenRequest(ctx, client.clientId, authorization, body)
    const grantType = body.grant_type ?? ''
    const grantTable = Object.hasOwn(grantChecks, grantType) ? grantChecks[grantType] : undefined
    if (!grantTable) {
      throw new OAuthError(
        400,
        'unsupported_grant_type',
        'grant_type must be authorization_code or refresh_token',
      )
    }
    runCheckTable(grantTable, () => checks)
    if (grantType === 'authorization_code') {
      const code = checks.code as AuthorizationCode
      return c.json(await tokens(ctx, client, code, code.nonce, false), 200, noStore)
    }
    const grant = { ...(checks.grant as Grant), scopes: checks.scopes as string[] }
    return c.json(await tokens(ctx, client, grant, undefined, true), 200, noStore)
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorResponse(c, error, ctx.options.log)
    throw error
  }
}

const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

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
