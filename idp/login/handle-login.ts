import { timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import type { IdpContext } from '../context.ts'
import { answerFlow } from './answer-flow.ts'
import { proceedAs, showLogin } from './continue-flow.tsx'

/**
 * POST /login: the login form's answer — the password step done (then proceedAs: answer, second
 * factor, or no context), wrong credentials, or cancel.
 */
export async function handleLogin(ctx: IdpContext, c: Context) {
  const body = await c.req.parseBody()
  const flowId = typeof body.flow === 'string' ? body.flow : undefined
  const flow = ctx.flows.get(flowId)
  if (!flow || !flowId) {
    throw new SsoError('IDP_FLOW_UNKNOWN', 'login', 'this sign-in form is no longer valid', {})
  }
  if (body.action === 'cancel') {
    ctx.flows.take(flowId)
    return answerFlow(ctx, c, flow, { kind: 'failure', reason: 'cancelled' })
  }
  const username = typeof body.username === 'string' ? body.username.trim() : ''
  const password = typeof body.password === 'string' ? body.password : ''
  const user = ctx.users.get(username)
  if (!user || (user.password !== undefined && !samePassword(user.password, password))) {
    ctx.options.log(`IdP login failed (${user ? 'wrong password' : 'unknown user'})`)
    const reason = user ? 'Wrong password.' : 'No such user.'
    const error = new SsoError('IDP_LOGIN_FAILED', 'login', `${reason} Try again or cancel.`, {})
    return showLogin(ctx, c, flowId, flow, { error, username })
  }
  ctx.flows.take(flowId)
  return proceedAs(ctx, c, flow, user, 'password', undefined, false)
}

function samePassword(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(given, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}
