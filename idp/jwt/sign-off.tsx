import type { Context } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import type { IdpContext } from '../context.ts'
import { idpSessionCookie } from '../session/idp-sessions.ts'
import { signOffRelyingParties } from '../sign-off/sign-off.ts'
import { continueLogout } from '../slo/continue-logout.tsx'
import { acceptReturnUrl } from './return-url.ts'

/**
 * GET /jwt/logout?return_url=… — the sign-off endpoint (inSided "Sign off endpoint"): ends this
 * browser's IdP session, and with it the session at every party of every protocol, as on the
 * IdP's own logout page; then returns to return_url when it is under a registered JWT SP's return
 * URLs, else shows the signed-out page. A refused return_url is refused before anything ends.
 */
export async function signOff(ctx: IdpContext, c: Context) {
  const returnUrlParam = c.req.query('return_url')
  const accepted =
    returnUrlParam === undefined
      ? undefined
      : acceptReturnUrl(returnUrlParam, ctx.jwtServiceProviders)
  const session = ctx.sessions.get(getCookie(c, idpSessionCookie))
  if (session) ctx.sessions.end(session.sessionIndex)
  deleteCookie(c, idpSessionCookie, { path: '/' })
  ctx.options.log(`IdP JWT sign-off${session ? ` of ${session.userId}` : ''}`)
  return continueLogout(ctx, c, {
    initiator: { kind: 'rp', protocol: 'jwt', redirect: accepted?.url.href },
    remaining: session ? [...session.participants] : [],
    awaiting: undefined,
    confirmed: [],
    failed: [],
    signOff: await signOffRelyingParties(ctx, session ? [session] : []),
  })
}
