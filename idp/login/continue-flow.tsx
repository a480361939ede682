import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { SsoError } from '../../core/errors/index.ts'
import type { IdpContext } from '../context.ts'
import { idpSessionCookie } from '../session/idp-sessions.ts'
import { type Flow, flowAudience } from '../sso/flows.ts'
import type { IdpUser } from '../users/user.ts'
import { answerFlow } from './answer-flow.ts'
import { LoginPage } from './login-page.tsx'
import type { QueuedLogin } from './login-queue.ts'

/**
 * Decides how a sign-in goes on once the request is accepted, whatever its protocol, in order:
 * the headless sign-in this request took from the queue (sign-in-attempt.ts); the IdP session
 * of this browser (unless ForceAuthn or prompt=login); "login required" for IsPassive or
 * prompt=none; otherwise the login form.
 */
export function continueFlow(
  ctx: IdpContext,
  c: Context,
  flow: Flow,
  isPassive: boolean,
  queued: QueuedLogin | undefined,
) {
  const queuedUser = queued === undefined ? undefined : ctx.users.get(queued.userId)
  if (queuedUser) return signInAndRespond(ctx, c, flow, queuedUser)

  const session = ctx.sessions.get(getCookie(c, idpSessionCookie))
  const sessionUser = session ? ctx.users.get(session.userId) : undefined
  if (session && sessionUser && !flow.forceAuthn) {
    return answerFlow(ctx, c, flow, { kind: 'success', user: sessionUser, session })
  }
  if (isPassive) return answerFlow(ctx, c, flow, { kind: 'failure', reason: 'login-required' })
  const flowId = ctx.flows.start(flow)
  return showLogin(ctx, c, flowId, flow)
}

export function showLogin(
  ctx: IdpContext,
  c: Context,
  flowId: string,
  flow: Flow,
  failed?: { error: SsoError; username: string },
) {
  c.header('Cache-Control', 'no-store')
  return c.html(
    <LoginPage
      flowId={flowId}
      spEntityId={flowAudience(flow)}
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
  return answerFlow(ctx, c, flow, { kind: 'success', user, session })
}
