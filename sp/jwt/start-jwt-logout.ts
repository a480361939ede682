import type { Context } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import type { SpContext } from '../context.ts'
import type { ResolvedSpJwtSettings } from './settings.ts'

/**
 * POST /logout with protocol `jwt`: the SP session ends here and now; then, when a sign-off URL
 * is configured and the visitor was signed in, to the IdP's sign-off URL with `return_url` =
 * this SP's home (inSided "Sign off endpoint").
 */
export function startJwtLogout(ctx: SpContext, c: Context, settings: ResolvedSpJwtSettings) {
  const { options } = ctx
  const token = getCookie(c, ctx.cookies.session)
  const session = ctx.sessions.peek(token)
  ctx.sessions.delete(token)
  deleteCookie(c, ctx.cookies.session, { path: '/' })
  if (!session || !settings.logoutUrl) return c.redirect('/', 303)
  const target = new URL(settings.logoutUrl)
  target.searchParams.set('return_url', options.urls.home)
  options.log('SP JWT sign-off sent to the IdP')
  return c.redirect(target.href, 303)
}
