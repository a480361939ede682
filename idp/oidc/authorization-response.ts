import type { Context } from 'hono'
import { selfSubmittingForm } from '../../core/saml/post.ts'
import type { IdpContext } from '../context.ts'
import { authorizationResponseIss } from '../faults/endpoint-faults.ts'
import { appendQuery } from '../jwt/return-url.ts'
import type { ResponseMode } from './authorization-request.ts'

export interface AuthorizationResponse {
  redirectUri: string
  responseMode: ResponseMode
  /** `code` or `error`/`error_description`, and `state` under the client's name for it. */
  params: Record<string, string>
  clientId: string
  userId?: string | undefined
}

/**
 * Sends an authorization response to the client's redirect_uri, with `iss` (RFC 9207 §2) so the
 * client can tell which provider answered: a 302 with the parameters in the query (RFC 6749
 * §4.1.2), or for `form_post` a page whose form posts them there by itself (OAuth 2.0 Form Post
 * Response Mode §2), which keeps the code out of URLs and logs.
 */
export function sendAuthorizationResponse(
  ctx: IdpContext,
  c: Context,
  response: AuthorizationResponse,
) {
  const iss = authorizationResponseIss(ctx, ctx.options.issuer, {
    sp: response.clientId,
    user: response.userId,
  })
  const params = { ...response.params, ...(iss !== undefined ? { iss } : {}) }
  c.header('Cache-Control', 'no-store')
  c.header('Referrer-Policy', 'no-referrer')
  if (response.responseMode === 'form_post') {
    return c.html(selfSubmittingForm(response.redirectUri, params))
  }
  return c.redirect(appendQuery(new URL(response.redirectUri), params), 302)
}
