import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { statusCodes } from '../../core/saml/constants.ts'
import type { IdpContext } from '../context.ts'
import { respond } from '../response/respond.ts'
import { idpSessionCookie } from '../session/idp-sessions.ts'
import type { Flow } from '../sso/flows.ts'
import type { IdpUser } from '../users/user.ts'
import { LoginPage } from './login-page.tsx'

/**
 * Decides how a sign-in goes on once the request is accepted, in order: a queued headless
 * sign-in; the IdP session of this browser (unless ForceAuthn); NoPassive for IsPassive;
 * otherwise the login form.
 */
export function continueFlow(ctx: IdpContext, c: Context, flow: Flow, isPassive: boolean) {
  const queued = ctx.nextLogins.shift()
  const queuedUser = queued === undefined ? undefined : ctx.users.get(queued)
  if (queuedUser) return signInAndRespond(ctx, c, flow, queuedUser)

  const session = ctx.sessions.get(getCookie(c, idpSessionCookie))
  const sessionUser = session ? ctx.users.get(session.userId) : undefined
  if (session && sessionUser && !flow.forceAuthn) {
    return respond(ctx, c, flow, { kind: 'success', user: sessionUser, session })
  }
  if (isPassive) {
    return respond(ctx, c, flow, {
      kind: 'failure',
      status: statusCodes.noPassive,
      message: 'no IdP session and IsPassive',
    })
  }
  const flowId = ctx.flows.start(flow)
  return showLogin(ctx, c, flowId, flow)
}

export function showLogin(
  ctx: IdpContext,
  c: Context,
  flowId: string,
  flow: Flow,
  failed?: { error: string; username: string },
) {
  c.header('Cache-Control', 'no-store')
  return c.html(
    <LoginPage
      flowId={flowId}
      spEntityId={flow.sp.entityId}
      users={ctx.users.list()}
      loginHint={failed?.username ?? flow.loginHint}
      error={failed?.error}
    />,
    failed ? 401 : 200,
  )
}

/** Starts an IdP session for the user, sets its cookie and answers the flow. */
export function signInAndRespond(ctx: IdpContext, c: Context, flow: Flow, user: IdpUser) {
  const { token, session } = ctx.sessions.create(user.id)
  setCookie(c, idpSessionCookie, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: ctx.options.baseUrl.startsWith('https:'),
  })
  return respond(ctx, c, flow, { kind: 'success', user, session })
}
