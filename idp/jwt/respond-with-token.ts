import type { Context } from 'hono'
import type { IdpContext } from '../context.ts'
import type { FlowOutcome, JwtFlow } from '../sso/flows.ts'
import { issueToken } from './issue-token.ts'
import { appendQuery } from './return-url.ts'

// The OAuth 2 words (RFC 6749 §4.1.2.1) for why no token came, so an SP can tell the cases apart.
// OpenID Connect Core Unmet Authentication Requirements §2: the context asked cannot be met.
const errors = {
  cancelled: 'access_denied',
  'login-required': 'login_required',
  'no-authn-context': 'unmet_authentication_requirements',
} as const

/**
 * Ends a JWT flow: a 302 to the accepted return_url with `token=<JWT>` appended (inSided step 4),
 * or, when no one signed in, with `error=access_denied` / `error=login_required`. The token
 * travels in the URL, so the answer forbids caching and referrers.
 */
export async function respondWithToken(
  ctx: IdpContext,
  c: Context,
  flow: JwtFlow,
  outcome: FlowOutcome,
) {
  const returnUrl = new URL(flow.returnUrl)
  c.header('Cache-Control', 'no-store')
  c.header('Referrer-Policy', 'no-referrer')
  if (outcome.kind === 'failure') {
    ctx.options.log(`IdP JWT sign-in for ${flow.sp.id}: ${outcome.reason}`)
    return c.redirect(appendQuery(returnUrl, { error: errors[outcome.reason] }), 302)
  }
  const token = await issueToken(ctx, flow.sp, outcome.user, outcome.context)
  ctx.sessions.addRelyingParty(outcome.session.sessionIndex, {
    protocol: 'jwt',
    id: flow.sp.id,
    sub: outcome.user.id,
  })
  ctx.options.log(`IdP JWT for ${flow.sp.id}: success for ${outcome.user.id}`)
  return c.redirect(appendQuery(returnUrl, { token }), 302)
}
