import type { Context } from 'hono'
import { generateCookie, getCookie, setCookie } from 'hono/cookie'
import type { AuthnMethod } from '../../core/authn-context/classes.ts'
import type { SsoError } from '../../core/errors/index.ts'
import { renderHtml } from '../../core/http/render-html.ts'
import type { IdpContext } from '../context.ts'
import { statedContext } from '../faults/authn-context.ts'
import { type IdpSession, idpSessionCookie } from '../session/idp-sessions.ts'
import { type Flow, flowAudience } from '../sso/flows.ts'
import type { IdpUser } from '../users/user.ts'
import { answerFlow } from './answer-flow.ts'
import { chooseAuthnMethod } from './choose-authn-method.ts'
import { loginPageHtml } from './login-page-html.tsx'
import type { QueuedLogin } from './login-queue.ts'
import { SecondFactorPage } from './second-factor-page.tsx'

/**
 * Decides how a sign-in goes on once the request is accepted, whatever its protocol, in order:
 * the headless sign-in this request took from the queue (sign-in-attempt.ts); the IdP session
 * of this browser (unless ForceAuthn or prompt=login); "login required" for IsPassive or
 * prompt=none; otherwise the login form. A known user then goes through proceedAs.
 */
export function continueFlow(
  ctx: IdpContext,
  c: Context,
  flow: Flow,
  isPassive: boolean,
  queued: QueuedLogin | undefined,
) {
  const queuedUser = queued === undefined ? undefined : ctx.users.get(queued.userId)
  if (queuedUser) return proceedAs(ctx, c, flow, queuedUser, 'password', undefined, false)

  const session = ctx.sessions.get(getCookie(c, idpSessionCookie))
  const sessionUser = session ? ctx.users.get(session.userId) : undefined
  if (session && sessionUser && !flow.forceAuthn) {
    return proceedAs(ctx, c, flow, sessionUser, session.method ?? 'password', session, isPassive)
  }
  if (isPassive) return answerFlow(ctx, c, flow, { kind: 'failure', reason: 'login-required' })
  const flowId = ctx.flows.start(flow)
  return showLogin(ctx, c, flowId, flow)
}

/**
 * The user is known and `done` says how far they authenticated (in `session`, or just now):
 * answer, ask for the second factor (a step-up: never while passive), or refuse with "no
 * authentication context" (choose-authn-method.ts).
 */
export function proceedAs(
  ctx: IdpContext,
  c: Context,
  flow: Flow,
  user: IdpUser,
  done: AuthnMethod,
  session: IdpSession | undefined,
  isPassive: boolean,
) {
  const choice = chooseAuthnMethod(user, done, flow.authnContext)
  if (choice.kind === 'unavailable') {
    ctx.options.log(
      `IdP sign-in for ${flowAudience(flow)}: no authentication context for the request`,
    )
    return answerFlow(ctx, c, flow, { kind: 'failure', reason: 'no-authn-context' })
  }
  if (choice.kind === 'second-factor') {
    return isPassive
      ? answerFlow(ctx, c, flow, { kind: 'failure', reason: 'login-required' })
      : askSecondFactor(ctx, c, flow, user.id, session)
  }
  if (!session) return signInAndRespond(ctx, c, flow, user, choice.method)
  return answerFlow(ctx, c, flow, successOf(ctx, flow, user, session, choice.method))
}

/** The second step: the flow waits, marked with whose code it asks and the session to raise. */
function askSecondFactor(
  ctx: IdpContext,
  c: Context,
  flow: Flow,
  userId: string,
  session: IdpSession | undefined,
) {
  const flowId = ctx.flows.start({
    ...flow,
    secondFactor: { userId, sessionIndex: session?.sessionIndex },
  })
  return showSecondFactor(c, flowId, flow)
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
    loginPageHtml(ctx.users, {
      flowId,
      spEntityId: flowAudience(flow),
      users: ctx.users.list(),
      loginHint: failed?.username ?? flow.loginHint,
      error: failed?.error,
    }),
    failed ? 401 : 200,
  )
}

export function showSecondFactor(c: Context, flowId: string, flow: Flow, error?: SsoError) {
  c.header('Cache-Control', 'no-store')
  return c.html(
    renderHtml(<SecondFactorPage flowId={flowId} spEntityId={flowAudience(flow)} error={error} />),
    error ? 401 : 200,
  )
}

/**
 * Starts an IdP session for the user, answers the flow and sets the session's cookie. The session
 * is written once, after the answer recorded in it which SP was told what (idp-sessions.ts, open
 * and save), and before the answer goes out. An answer that fails still leaves the session, its
 * cookie on the error page, as when the session was written first.
 */
export async function signInAndRespond(
  ctx: IdpContext,
  c: Context,
  flow: Flow,
  user: IdpUser,
  method: AuthnMethod,
) {
  const session = ctx.sessions.open(user.id, method)
  const cookie = {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: ctx.options.baseUrl.startsWith('https:'),
  } as const
  let answer: Response
  try {
    answer = await answerFlow(ctx, c, flow, successOf(ctx, flow, user, session, method))
  } catch (error) {
    setCookie(c, idpSessionCookie, ctx.sessions.save(session), cookie)
    throw error
  }
  const token = ctx.sessions.save(session)
  answer.headers.append('Set-Cookie', generateCookie(idpSessionCookie, token, cookie))
  return answer
}

/** A successful outcome, stating the context of `method` (or what a fault makes of it). */
export function successOf(
  ctx: IdpContext,
  flow: Flow,
  user: IdpUser,
  session: IdpSession,
  method: AuthnMethod,
) {
  const context = statedContext(ctx.faults, { sp: flowAudience(flow), user: user.id }, method)
  return { kind: 'success' as const, user, session, context }
}
