import type { Context } from 'hono'
import { runCheckTable } from '../../core/checks/run-check-table.ts'
import { signJwt } from '../../core/jwt/sign.ts'
import type { IdpContext } from '../context.ts'
import { withClaimSources } from '../faults/claim-sources.ts'
import { userinfoClaims } from '../faults/endpoint-faults.ts'
import { signerFor } from './client-signer.ts'
import { OAuthError, oauthErrorResponse } from './oauth-error.ts'
import { claimsFor, renameClaims } from './scopes.ts'
import { type UserinfoChecks, userinfoChecks } from './userinfo-checks.ts'

/**
 * GET|POST /oidc/userinfo (OIDC Core §5.3): the access token as a Bearer header, or as the
 * `access_token` form field of a POST (RFC 6750 §2.1, §2.2) — one of them. Answers the claims the
 * granted scopes release (scopes.ts); in OAuth2 mode under the client's claim names. A client
 * that registered `userinfoSignedResponseAlg` gets them as a signed JWT (application/jwt) with
 * `iss` and `aud` (OIDC Core §5.3.2).
 */
export async function userinfo(ctx: IdpContext, c: Context) {
  try {
    const checks: UserinfoChecks = {
      ctx,
      authorization: c.req.header('authorization'),
      formToken: await formAccessToken(c),
    }
    runCheckTable(userinfoChecks, () => checks)
    const { grant, client, user } = checks as Required<UserinfoChecks>
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

/** The `access_token` field of a form-encoded POST (RFC 6750 §2.2), as sent. */
async function formAccessToken(c: Context): Promise<UserinfoChecks['formToken']> {
  const type = c.req.header('content-type') ?? ''
  if (
    c.req.method !== 'POST' ||
    !type.toLowerCase().startsWith('application/x-www-form-urlencoded')
  ) {
    return undefined
  }
  return (await c.req.parseBody()).access_token
}
