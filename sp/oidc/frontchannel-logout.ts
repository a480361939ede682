import type { Context } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import { SsoError } from '../../core/errors/index.ts'
import { tokenKey } from '../../core/store/token-key.ts'
import type { SpContext } from '../context.ts'
import type { OidcRuntime } from './runtime.ts'

/**
 * GET /oidc/frontchannel-logout?iss=…&sid=… — OIDC Front-Channel Logout 1.0 §2, loaded by the
 * provider's logout page in an iframe:
 *   1. `iss`, when sent, is the configured issuer        OIDC_ISSUER_MISMATCH
 *   2. with `sid`: every session of this issuer opened in that provider session ends (`iss` is
 *      then required); without: this browser's session, when that issuer opened it
 * The answer is a blank page that the provider may frame, and nothing the browser caches.
 */
export function frontChannelLogout(ctx: SpContext, c: Context, oidc: OidcRuntime) {
  const { options } = ctx
  const issuer = oidc.settings.issuer ?? ''
  const iss = c.req.query('iss')
  const sid = c.req.query('sid')
  if ((iss !== undefined || sid !== undefined) && iss !== issuer) {
    throw new SsoError(
      'OIDC_ISSUER_MISMATCH',
      'iss',
      iss === undefined ? 'a sid without its iss' : 'the logout comes from another issuer',
      { expected: issuer, received: (iss ?? '').slice(0, 200) },
    )
  }
  const cookie = getCookie(c, ctx.cookies.session)
  const own = cookie === undefined ? undefined : tokenKey(cookie)
  let ended: string[]
  if (sid !== undefined) {
    ended = ctx.sessions.endByIdpSession({ issuer, sid })
  } else {
    const session = ctx.sessions.peek(cookie)
    ended = session && own && session.subject.issuer === issuer ? [own] : []
    if (ended.length > 0) ctx.sessions.delete(cookie)
  }
  if (own !== undefined && ended.includes(own)) deleteCookie(c, ctx.cookies.session, { path: '/' })
  options.log(`SP front-channel logout: ${ended.length} session(s) ended`)
  c.header('Cache-Control', 'no-store')
  c.header('Content-Security-Policy', `frame-ancestors 'self' ${originOf(issuer)}`.trim())
  return c.html('<!doctype html><title>Signed out</title><p id="status">Signed out</p>')
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return ''
  }
}
