import type { Context } from 'hono'
import type { IdpContext } from '../context.ts'
import type { FlowOutcome, OidcFlow } from '../sso/flows.ts'
import { sendAuthorizationResponse } from './authorization-response.ts'

// OIDC Core §3.1.2.6 / RFC 6749 §4.1.2.1: why no code came.
// OpenID Connect Core Unmet Authentication Requirements §2: the context asked cannot be met.
const errors = {
  cancelled: 'access_denied',
  'login-required': 'login_required',
  'no-authn-context': 'unmet_authentication_requirements',
} as const

/**
 * Ends an OIDC flow (RFC 6749 §4.1.2): a one-time `code`, or `error`, with `state` as the client
 * sent it (under its own name in OAuth2 mode), by the request's response mode. The client is now
 * a participant of the IdP session, for single sign-off.
 */
export function respondWithCode(ctx: IdpContext, c: Context, flow: OidcFlow, outcome: FlowOutcome) {
  const { request } = flow
  const answer = (params: Record<string, string>, userId?: string) =>
    sendAuthorizationResponse(ctx, c, {
      redirectUri: request.redirectUri,
      responseMode: request.responseMode,
      params: {
        ...params,
        ...(request.state !== undefined
          ? { [request.client.parameterNames.state ?? 'state']: request.state }
          : {}),
      },
      clientId: request.client.clientId,
      userId,
    })
  if (outcome.kind === 'failure') {
    ctx.options.log(
      `IdP OIDC authorization for ${request.client.clientId}: ${errors[outcome.reason]}`,
    )
    return answer({ error: errors[outcome.reason] })
  }
  const { session, user } = outcome
  const code = ctx.oidcGrants.issueCode({
    clientId: request.client.clientId,
    userId: user.id,
    scopes: request.scopes,
    authTime: session.authnInstant,
    sid: session.sid,
    acr: outcome.context.classRef,
    amr: outcome.context.amr,
    redirectUri: request.redirectUri,
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
  })
  ctx.sessions.addRelyingParty(session.sessionIndex, {
    protocol: 'oidc',
    id: request.client.clientId,
    sub: user.id,
  })
  ctx.options.log(`IdP OIDC code for ${request.client.clientId}: success for ${user.id}`)
  return answer({ code }, user.id)
}
