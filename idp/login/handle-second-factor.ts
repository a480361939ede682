import { timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { tokenKey } from '../../core/store/token-key.ts'
import type { IdpContext } from '../context.ts'
import type { IdpUser } from '../users/user.ts'
import { answerFlow } from './answer-flow.ts'
import { proceedAs, showSecondFactor } from './continue-flow.tsx'

/**
 * POST /login/second-factor: the second step's answer. The right one-time code raises the IdP
 * session it steps up (or starts one) to the second factor and answers the flow; a wrong one
 * shows the step again with IDP_SECOND_FACTOR_FAILED; Cancel ends the sign-in as cancelled.
 */
export async function handleSecondFactor(ctx: IdpContext, c: Context) {
  const body = await c.req.parseBody()
  const flowId = typeof body.flow === 'string' ? body.flow : undefined
  const flow = ctx.flows.get(flowId)
  const step = flow?.secondFactor
  const user = step ? ctx.users.get(step.userId) : undefined
  if (!flow || !flowId || !step || !user) {
    throw new SsoError('IDP_FLOW_UNKNOWN', 'login', 'this sign-in form is no longer valid', {})
  }
  if (body.action === 'cancel') {
    ctx.flows.take(flowId)
    return answerFlow(ctx, c, flow, { kind: 'failure', reason: 'cancelled' })
  }
  if (!sameCode(user, typeof body.otp === 'string' ? body.otp.trim() : '')) {
    ctx.options.log(`IdP second factor refused for ${user.id}`)
    const error = new SsoError(
      'IDP_SECOND_FACTOR_FAILED',
      'second factor',
      'Wrong one-time code. Try again or cancel.',
      {},
    )
    return showSecondFactor(c, flowId, flow, error)
  }
  ctx.flows.take(flowId)
  const { secondFactor: _, ...answered } = flow
  const raised =
    step.sessionIndex === undefined ? undefined : ctx.sessions.stepUp(step.sessionIndex)
  return proceedAs(ctx, c, answered, user, 'second-factor', raised, false)
}

function sameCode(user: IdpUser, given: string): boolean {
  if (!user.secondFactor || given === '') return false
  const a = Buffer.from(tokenKey(given))
  const b = Buffer.from(user.secondFactor.codeDigest)
  return a.length === b.length && timingSafeEqual(a, b)
}
