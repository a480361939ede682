import type { Context } from 'hono'
import { logoutReasons, statusCodes } from '../../core/saml/constants.ts'
import type { LogoutStatus } from '../../core/saml/logout.ts'
import { deliverLogout, pickLogoutEndpoint } from '../../core/saml/logout-binding.ts'
import type { IdpContext } from '../context.ts'
import type { LogoutFlow } from './logout-flows.ts'
import { SignedOutPage } from './logout-pages.tsx'
import { logoutRequestTo } from './send-logout-request.ts'
import { logoutResponseTo } from './send-logout-response.ts'

/**
 * saml-profiles §4.4.3.2: sends a LogoutRequest to the next session participant that can be
 * asked, and waits for its LogoutResponse; once none is left, tells the initiator how it went.
 */
export function continueLogout(ctx: IdpContext, c: Context, flow: LogoutFlow) {
  const reason = flow.initiator.kind === 'admin' ? logoutReasons.admin : logoutReasons.user
  for (let next = flow.remaining.shift(); next; next = flow.remaining.shift()) {
    const outgoing = logoutRequestTo(ctx, next, reason)
    if (!outgoing) {
      flow.failed.push(next.spEntityId)
      continue
    }
    flow.awaiting = { spEntityId: next.spEntityId, requestId: outgoing.id }
    ctx.logoutFlows.wait(outgoing.id, flow)
    return deliverLogout(c, outgoing.delivery)
  }
  flow.awaiting = undefined
  return finishLogout(ctx, c, flow)
}

/**
 * The initiating SP gets a signed LogoutResponse: Success, or Responder with PartialLogout when
 * some participant could not be logged out (saml-core §3.2.2.2). Otherwise the IdP says it itself.
 */
function finishLogout(ctx: IdpContext, c: Context, flow: LogoutFlow) {
  const { initiator } = flow
  const sp = initiator.kind === 'sp' ? ctx.serviceProviders.get(initiator.spEntityId) : undefined
  const endpoint = sp && pickLogoutEndpoint(sp.singleLogoutServices)
  if (initiator.kind !== 'sp' || !endpoint) {
    c.header('Cache-Control', 'no-store')
    return c.html(<SignedOutPage confirmed={flow.confirmed} failed={flow.failed} />)
  }
  const status: LogoutStatus =
    flow.failed.length === 0
      ? { code: statusCodes.success }
      : {
          code: statusCodes.responder,
          subCode: statusCodes.partialLogout,
          message: 'not every service provider confirmed the logout',
        }
  return deliverLogout(
    c,
    logoutResponseTo(
      ctx,
      initiator.spEntityId,
      endpoint,
      initiator.requestId,
      status,
      initiator.relayState,
    ),
  )
}
