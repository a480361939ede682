import type { Context } from 'hono'
import type { SpContext } from '../context.ts'
import { endLocalSession, logoutReturnPath } from '../session/end-session.ts'
import type { ResolvedSpJwtSettings } from './settings.ts'

/**
 * POST /logout with protocol `jwt`: the SP session ends here and now; then, when a sign-off URL
 * is configured and the visitor was signed in, to the IdP's sign-off URL with `return_url` =
 * where the visitor signed out from (`return_url`, a same-origin path; inSided "Sign off
 * endpoint").
 */
export async function startJwtLogout(ctx: SpContext, c: Context, settings: ResolvedSpJwtSettings) {
  const { options } = ctx
  const returnPath = await logoutReturnPath(ctx, c)
  const { session } = endLocalSession(ctx, c)
  if (!session || !settings.logoutUrl) return c.redirect(returnPath, 303)
  const target = new URL(settings.logoutUrl)
  target.searchParams.set('return_url', new URL(returnPath, options.baseUrl).href)
  options.log('SP JWT sign-off sent to the IdP')
  return c.redirect(target.href, 303)
}
