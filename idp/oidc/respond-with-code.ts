import type { Context } from 'hono'
import type { IdpContext } from '../context.ts'
import { appendQuery } from '../jwt/return-url.ts'
import type { FlowOutcome, OidcFlow } from '../sso/flows.ts'

// OIDC Core §3.1.2.6 / RFC 6749 §4.1.2.1: why no code came.
const errors = { cancelled: 'access_denied', 'login-required': 'login_required' } as const

/**
 * Ends an OIDC flow (RFC 6749 §4.1.2): a 302 to the redirect_uri with a one-time `code`, or with
 * `error`; `state` as the client sent it (under its own name in OAuth2 mode), and `iss`
 * (RFC 9207) so the client knows who answered.
 */
export function respondWithCode(ctx: IdpContext, c: Context, flow: OidcFlow, outcome: FlowOutcome) {
  const { request } = flow
  const answer = (params: Record<string, string>) =>
    c.redirect(
      appendQuery(new URL(request.redirectUri), {
        ...params,
        ...(request.state !== undefined
          ? { [request.client.parameterNames.state ?? 'state']: request.state }
          : {}),
        iss: ctx.options.issuer,
      }),
      302,
    )
  c.header('Cache-Control', 'no-store')
  c.header('Referrer-Policy', 'no-referrer')
  if (outcome.kind === 'failure') {
    ctx.options.log(
      `IdP OIDC authorization for ${request.client.clientId}: ${errors[outcome.reason]}`,
    )
    return answer({ error: errors[outcome.reason] })
  }
  const code = ctx.oidcGrants.issueCode({
    clientId: request.client.clientId,
    userId: outcome.user.id,
    scopes: request.scopes,
    authTime: outcome.session.authnInstant,
    redirectUri: request.redirectUri,
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
  })
  ctx.options.log(`IdP OIDC code for ${request.client.clientId}: success for ${outcome.user.id}`)
  return answer({ code })
}
