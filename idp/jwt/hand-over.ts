import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { SsoError } from '../../core/errors/index.ts'
import type { IdpContext } from '../context.ts'
import { statedContext } from '../faults/authn-context.ts'
import { idpSessionCookie } from '../session/idp-sessions.ts'
import { issueToken } from './issue-token.ts'

/**
 * POST /jwt/token?sp=ID — the JavaScript API of IdP-initiated JWT sign-in (Comm100: "IdP-initiated
 * SSO login via JavaScript API"): a page whose visitor is signed in at the IdP gets a token for
 * the SP and hands it to the SP without a redirect. The answer is readable cross-origin only by
 * the SP's own origins (CORS with credentials); without an IdP session it is a 401.
 */
export async function tokenForPage(ctx: IdpContext, c: Context) {
  const spId = c.req.query('sp') ?? ''
  const sp = ctx.jwtServiceProviders.get(spId)
  if (!sp) {
    throw new SsoError(
      'JWT_SP_UNKNOWN',
      'sp',
      'no JWT service provider is registered under this id',
      {
        sp: spId.slice(0, 200),
      },
    )
  }
  const origin = c.req.header('origin')
  ctx.journal.record(sp.id, { message: 'JwtTokenRequest', origin: origin ?? null })
  if (origin && sp.returnUrls.some((url) => new URL(url).origin === origin)) {
    c.header('Access-Control-Allow-Origin', origin)
    c.header('Access-Control-Allow-Credentials', 'true')
  }
  c.header('Vary', 'Origin')
  c.header('Cache-Control', 'no-store')
  const session = ctx.sessions.get(getCookie(c, idpSessionCookie))
  const user = session ? ctx.users.get(session.userId) : undefined
  if (!user) {
    throw new SsoError(
      'IDP_SESSION_REQUIRED',
      'session',
      'the visitor is not signed in at the IdP',
      {
        sp: sp.id,
      },
    )
  }
  const method = session?.method ?? 'password'
  const context = statedContext(ctx.faults, { sp: sp.id, user: user.id }, method)
  const token = await issueToken(ctx, sp, user, context)
  if (session)
    ctx.sessions.addRelyingParty(session.sessionIndex, { protocol: 'jwt', id: sp.id, sub: user.id })
  ctx.options.log(`IdP JWT hand-over to ${sp.id} for ${user.id}`)
  return c.json({ token, token_type: 'JWT', expires_in: sp.tokenLifetimeSeconds })
}

/**
 * GET /jwt/hand-over.js — the snippet a page of a registered SP includes:
 *   <script src="IDP/jwt/hand-over.js"></script>
 *   <script>ssoproofHandOver('SP-ID', '/jwt/callback').then((ok) => ok && location.reload())</script>
 * It fetches a token from the IdP with the visitor's IdP cookie and posts it to the SP's JWT
 * callback; it resolves to true when the SP accepted it.
 */
export function handOverScript(ctx: IdpContext, c: Context) {
  const tokenUrl = JSON.stringify(ctx.options.urls.jwtToken)
  c.header('Content-Type', 'text/javascript; charset=utf-8')
  return c.body(`// ssoproof mock IdP: JWT hand-over without a redirect.
window.ssoproofHandOver = async function (sp, callbackUrl) {
  const answer = await fetch(${tokenUrl} + '?sp=' + encodeURIComponent(sp), {
    method: 'POST',
    credentials: 'include',
    headers: { Accept: 'application/json' },
  })
  if (!answer.ok) return false
  const { token } = await answer.json()
  const accepted = await fetch(callbackUrl, {
    method: 'POST',
    body: new URLSearchParams({ token }),
    credentials: 'include',
  })
  return accepted.ok
}
`)
}
