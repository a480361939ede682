import type { Context } from 'hono'
import { acrValuesOf } from '../../core/authn-context/requested-context.ts'
import { SsoError } from '../../core/errors/index.ts'
import type { SpContext } from '../context.ts'
import type { ResolvedSpJwtSettings } from './settings.ts'

/**
 * GET /login with protocol `jwt`: to the remote login URL with `return_url` = this SP's JWT
 * callback, which carries the visitor's own return path (inSided step 2); a passive sign-in adds
 * `prompt=none` there and `passive=1` to the callback (login/passive-sign-in.ts); a campaign's
 * required context goes as `acr_values` (the mock IdP's extension). Without a remote
 * login URL the IdP must sign visitors in from page JavaScript, and this says so.
 */
export function startJwtLogin(
  ctx: SpContext,
  c: Context,
  settings: ResolvedSpJwtSettings,
  returnPath: string,
  passive = false,
) {
  const { options } = ctx
  if (!settings.loginUrl) {
    throw new SsoError('JWT_LOGIN_UNCONFIGURED', 'loginUrl', 'this SP has no remote login URL', {})
  }
  const callback = new URL(options.urls.jwtCallback)
  callback.searchParams.set('return_url', returnPath)
  if (passive) callback.searchParams.set('passive', '1')
  const target = new URL(settings.loginUrl)
  target.searchParams.set('return_url', callback.href)
  if (passive) target.searchParams.set('prompt', 'none')
  const required = ctx.campaign.authnContext
  if (required) target.searchParams.set('acr_values', acrValuesOf(required).join(' '))
  options.log('SP JWT sign-in sent to the remote login URL')
  return c.redirect(target.href, 302)
}
