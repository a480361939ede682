import type { Context } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import { SsoError } from '../../core/errors/index.ts'
import type { SpContext } from '../context.ts'
import { logoutReturnPath } from '../session/end-session.ts'
import { fetchUserinfo } from './fetch-userinfo.ts'
import type { OidcRuntime } from './runtime.ts'
import { refreshTokens } from './token-request.ts'
import { validateIdToken } from './validate-id-token.ts'

/**
 * POST /oidc/refresh[?return_url=/path] — the signed-in visitor's tokens are refreshed (OIDC
 * Core §12), in order:
 *   1. an SP session, with a refresh token sealed with its cookie        SP_SESSION_REQUIRED / OIDC_REFRESH_FAILED
 *   2. the refresh grant at the token endpoint                           OIDC_REFRESH_FAILED / OIDC_TOKEN_RESPONSE_INVALID
 *   3. the new ID token passes every check of the first (signature, iss, aud, azp, exp, iat,
 *      at_hash) and names the session's subject (§12.2)                  JWT_* / OIDC_REFRESH_SUBJECT_CHANGED
 *   4. userinfo, when there is an endpoint, about that same subject      OIDC_USERINFO_SUB_MISMATCH
 * A new ID token or userinfo about someone else ends the SP session: the provider no longer
 * vouches for the person signed in. Then the rotated refresh token and the new ID token replace
 * the old ones (sealed in the session with its cookie) and the visitor goes back to `return_url`.
 */
export async function handleRefresh(ctx: SpContext, c: Context, oidc: OidcRuntime) {
  const { options } = ctx
  c.header('Cache-Control', 'no-store')
  const returnPath = await logoutReturnPath(ctx, c)
  const cookie = getCookie(c, ctx.cookies.session)
  const session = ctx.sessions.touch(cookie)
  if (!session || cookie === undefined) {
    throw new SsoError('SP_SESSION_REQUIRED', 'session', 'sign in first', {})
  }
  const refreshToken = ctx.sessions.refreshTokenOf(session, cookie)
  if (refreshToken === undefined) {
    throw new SsoError(
      'OIDC_REFRESH_FAILED',
      'refresh_token',
      'the provider issued no refresh token for this session',
      {},
    )
  }
  const endpoints = await oidc.provider.endpoints()
  const tokens = await refreshTokens(oidc.settings, options.fetch, {
    tokenUrl: endpoints.tokenUrl,
    refreshToken,
  })
  const at = {
    now: options.clock.now(),
    clockSkewMs: oidc.settings.clockSkewMs ?? options.clockSkewMs,
  }
  const sub = session.subject.nameId
  try {
    if (tokens.idToken !== undefined) {
      await validateIdToken(oidc, tokens.idToken, {
        nonce: undefined,
        accessToken: tokens.accessToken,
        subject: sub,
        ...at,
      })
    }
    if (endpoints.userinfoUrl !== undefined) {
      const userinfo = await fetchUserinfo(oidc, options.fetch, {
        userinfoUrl: endpoints.userinfoUrl,
        accessToken: tokens.accessToken,
        ...at,
      })
      if (userinfo[oidc.settings.claimNames.sub ?? 'sub'] !== sub) {
        throw new SsoError(
          'OIDC_USERINFO_SUB_MISMATCH',
          'sub',
          'userinfo after the refresh describes another user',
          {},
        )
      }
    }
  } catch (error) {
    if (error instanceof SsoError) {
      ctx.sessions.delete(cookie)
      deleteCookie(c, ctx.cookies.session, { path: '/' })
      options.log(`SP OIDC refresh refused, session ended: ${error.code}`)
    }
    throw error
  }
  ctx.sessions.replaceTokens(cookie, {
    ...(tokens.idToken !== undefined ? { idToken: tokens.idToken } : {}),
    ...(tokens.refreshToken !== undefined ? { refreshToken: tokens.refreshToken } : {}),
  })
  options.log('SP OIDC tokens refreshed')
  return c.redirect(returnPath, 303)
}
