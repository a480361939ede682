import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import type { IdpContext } from '../context.ts'
import { journalAuthorize } from '../faults/journal-entries.ts'
import { continueFlow } from '../login/continue-flow.tsx'
import { type ClaimQueuedLogin, signInAttempt } from '../login/sign-in-attempt.ts'
import { idpSessionCookie } from '../session/idp-sessions.ts'
import {
  AuthorizationError,
  checkAuthorizationRequest,
  namedClientId,
} from './authorization-request.ts'
import { sendAuthorizationResponse } from './authorization-response.ts'

/**
 * GET|POST /oidc/authorize — the authorization endpoint (OIDC Core §3.1.2). The request is
 * checked (authorization-request.ts); then the sign-in goes on as every protocol's does
 * (login/continue-flow.tsx): prompt=login, or an IdP session older than max_age, asks for
 * credentials again; prompt=none answers `login_required` rather than show a form.
 */
export function authorize(ctx: IdpContext, c: Context) {
  return signInAttempt(ctx, (claim) => authorizeRequest(ctx, c, claim))
}

async function authorizeRequest(ctx: IdpContext, c: Context, claim: ClaimQueuedLogin) {
  const params =
    c.req.method === 'POST'
      ? Object.fromEntries(
          Object.entries(await c.req.parseBody()).filter(
            (entry): entry is [string, string] => typeof entry[1] === 'string',
          ),
        )
      : c.req.query()
  // The client the request names, refused or not, takes the login queued for it.
  const queued = claim(namedClientId(params, ctx.oidcClients))
  let request: ReturnType<typeof checkAuthorizationRequest>
  try {
    request = checkAuthorizationRequest(params, ctx.oidcClients)
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error
    journalAuthorize(ctx, error.clientId, { redirectUri: error.redirectUri }, error.error)
    ctx.options.log(`IdP OIDC authorization refused: ${error.error}`)
    return sendAuthorizationResponse(ctx, c, {
      redirectUri: error.redirectUri,
      responseMode: error.responseMode,
      params: {
        error: error.error,
        error_description: error.description,
        ...(error.state !== undefined ? { [error.stateName]: error.state } : {}),
      },
      clientId: error.clientId,
    })
  }
  journalAuthorize(ctx, request.client.clientId, request, null)
  const session = ctx.sessions.get(getCookie(c, idpSessionCookie))
  const tooOld =
    request.maxAgeSeconds !== undefined &&
    session !== undefined &&
    ctx.options.clock.now() - session.authnInstant > request.maxAgeSeconds * 1000
  return continueFlow(
    ctx,
    c,
    {
      kind: 'oidc',
      request,
      forceAuthn: request.prompt.includes('login') || tooOld,
      loginHint: request.loginHint,
      authnContext: request.authnContext,
    },
    request.prompt.includes('none'),
    queued,
  )
}
