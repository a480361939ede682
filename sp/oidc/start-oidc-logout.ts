import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { newToken } from '../../core/random/index.ts'
import type { SpContext } from '../context.ts'
import { endLocalSession, logoutReturnPath } from '../session/end-session.ts'
import type { OidcRuntime } from './runtime.ts'

/**
 * POST /logout with protocol `oidc`: the SP session ends here and now; then, when the provider
 * has an end_session endpoint (configured or discovered), RP-initiated logout there with
 * `id_token_hint`, `client_id` and `post_logout_redirect_uri` = this SP's home. Should the
 * provider's metadata be unreachable, the visitor is signed out here all the same.
 */
export async function startOidcLogout(ctx: SpContext, c: Context, oidc: OidcRuntime) {
  const { options } = ctx
  const returnPath = await logoutReturnPath(ctx, c)
  const { session, token } = endLocalSession(ctx, c)
  if (!session || token === undefined) return c.redirect(returnPath, 303)
  const idToken = ctx.sessions.idTokenOf(session, token)
  let endSessionUrl: string | undefined
  try {
    endSessionUrl = (await oidc.provider.endpoints()).endSessionUrl
  } catch (error) {
    if (!(error instanceof SsoError)) throw error
    options.log(`SP OIDC logout stays local: ${error.code}`)
  }
  if (!endSessionUrl) return c.redirect(returnPath, 303)
  const target = new URL(endSessionUrl)
  if (idToken !== undefined) target.searchParams.set('id_token_hint', idToken)
  target.searchParams.set('client_id', oidc.settings.clientId)
  target.searchParams.set('post_logout_redirect_uri', options.urls.home)
  if (returnPath !== `${ctx.pathPrefix}/`) {
    const state = newToken(options.random)
    oidc.logoutReturns.set(
      state,
      returnPath,
      options.clock.now() + options.pendingRequestLifetimeMs,
    )
    target.searchParams.set('state', state)
  }
  options.log('SP OIDC end_session sent to the IdP')
  return c.redirect(target.href, 303)
}
