import type { Context } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import type { SpContext } from '../context.ts'
import { markSilentAttempt } from '../login/passive-sign-in.ts'
import { sameOriginPathOr } from '../login/return-path.ts'
import type { SpSession } from './sp-sessions.ts'

/**
 * The first half of every protocol's POST /logout: the SP session ends here and now, whatever the
 * IdP later says (and no silent sign-in brings the visitor back). Returns the session that ended (if any) and its cookie token.
 */
export function endLocalSession(
  ctx: SpContext,
  c: Context,
): { session: SpSession | undefined; token: string | undefined } {
  const token = getCookie(c, ctx.cookies.session)
  const session = ctx.sessions.peek(token)
  ctx.sessions.delete(token)
  deleteCookie(c, ctx.cookies.session, { path: '/' })
  // Signed out means signed out: the messenger does not sign them in again silently.
  markSilentAttempt(ctx, c)
  return { session, token }
}

/**
 * Where the visitor lands after signing out: the form's or query's `return_url` when it is a
 * same-origin path (the messenger sends its own page), else the campaign's home. A refused
 * value never stops a logout.
 */
export async function logoutReturnPath(ctx: SpContext, c: Context): Promise<string> {
  const fallback = `${ctx.pathPrefix}/`
  let value = c.req.query('return_url')
  if (value === undefined && c.req.header('content-type')?.includes('form')) {
    const form = await c.req.parseBody()
    if (typeof form.return_url === 'string') value = form.return_url
  }
  if (value === undefined || value === '') return fallback
  return sameOriginPathOr(value, ctx.options.baseUrl, fallback)
}
