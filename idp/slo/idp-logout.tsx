import type { Context } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import { renderHtml } from '../../core/http/render-html.ts'
import type { IdpContext } from '../context.ts'
import { idpSessionCookie } from '../session/idp-sessions.ts'
import { plannedChannels, signOffRelyingParties } from '../sign-off/sign-off.ts'
import { continueLogout } from './continue-logout.tsx'
import { LogoutPage, plannedSignOff } from './logout-pages.tsx'

/** GET /logout: the IdP's own sign-out page, every party of the session, and the button. */
export function showIdpLogout(ctx: IdpContext, c: Context) {
  c.header('Cache-Control', 'no-store')
  const session = ctx.sessions.get(getCookie(c, idpSessionCookie))
  const parties = session
    ? plannedSignOff(session, (protocol, id) => plannedChannels(ctx, protocol, id))
    : []
  return c.html(renderHtml(<LogoutPage session={session} parties={parties} />))
}

/**
 * POST /logout: IdP-initiated single sign-off. Ends this browser's IdP session, signs off its
 * OIDC clients and JWT SPs (back channel now, front channel in the final page's iframes), then
 * sends a LogoutRequest to each SAML SP that shares it, one after the other; the final page
 * lists every party with its outcome.
 */
export async function startIdpLogout(ctx: IdpContext, c: Context) {
  const session = ctx.sessions.get(getCookie(c, idpSessionCookie))
  if (!session) return showIdpLogout(ctx, c)
  ctx.sessions.end(session.sessionIndex)
  deleteCookie(c, idpSessionCookie, { path: '/' })
  ctx.options.log(
    `IdP logout of ${session.userId}: ${session.participants.length + session.relyingParties.length} participant(s)`,
  )
  return continueLogout(ctx, c, {
    initiator: { kind: 'idp' },
    remaining: [...session.participants],
    awaiting: undefined,
    confirmed: [],
    failed: [],
    signOff: await signOffRelyingParties(ctx, [session]),
  })
}
