import type { Context } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import { Layout } from '../../core/http/layout.tsx'
import type { IdpContext } from '../context.ts'
import { idpSessionCookie } from '../session/idp-sessions.ts'
import { acceptReturnUrl } from './return-url.ts'

/**
 * GET /jwt/logout?return_url=… — the sign-off endpoint (inSided "Sign off endpoint"): ends this
 * browser's IdP session, then returns to return_url when it is under a registered JWT SP's
 * return URLs; without return_url, a signed-out page. A refused return_url is refused before
 * anything ends.
 */
export function signOff(ctx: IdpContext, c: Context) {
  const returnUrlParam = c.req.query('return_url')
  const accepted =
    returnUrlParam === undefined
      ? undefined
      : acceptReturnUrl(returnUrlParam, ctx.jwtServiceProviders)
  const token = getCookie(c, idpSessionCookie)
  const session = ctx.sessions.get(token)
  if (session) ctx.sessions.end(session.sessionIndex)
  deleteCookie(c, idpSessionCookie, { path: '/' })
  ctx.options.log(`IdP JWT sign-off${session ? ` of ${session.userId}` : ''}`)
  c.header('Cache-Control', 'no-store')
  if (accepted) return c.redirect(accepted.url.href, 302)
  return c.html(
    <Layout title="Signed out" side="IdP">
      <h1 id="status">You are signed out</h1>
      <p>Your session at this identity provider has ended.</p>
    </Layout>,
  )
}
