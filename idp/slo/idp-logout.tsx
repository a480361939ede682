import type { Context } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import type { IdpContext } from '../context.ts'
import { idpSessionCookie } from '../session/idp-sessions.ts'
import { continueLogout } from './continue-logout.tsx'
import { LogoutPage } from './logout-pages.tsx'

/** GET /logout: the IdP's own sign-out page, with the button. */
export function showIdpLogout(ctx: IdpContext, c: Context) {
  c.header('Cache-Control', 'no-store')
  return c.html(<LogoutPage session={ctx.sessions.get(getCookie(c, idpSessionCookie))} />)
}

/**
 * POST /logout: IdP-initiated single logout (saml-profiles §4.4.3.2). Ends this browser's IdP
 * session, then sends a LogoutRequest to each SP that shares it, one after the other.
 */
export function startIdpLogout(ctx: IdpContext, c: Context) {
  const session = ctx.sessions.get(getCookie(c, idpSessionCookie))
  if (!session) return showIdpLogout(ctx, c)
  ctx.sessions.end(session.sessionIndex)
  deleteCookie(c, idpSessionCookie, { path: '/' })
  ctx.options.log(`IdP logout of ${session.userId}: ${session.participants.length} participant(s)`)
  return continueLogout(ctx, c, {
    initiator: { kind: 'idp' },
    remaining: [...session.participants],
    awaiting: undefined,
    confirmed: [],
    failed: [],
  })
}
