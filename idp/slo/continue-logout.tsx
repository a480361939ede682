import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { renderHtml } from '../../core/http/render-html.ts'
import { logoutReasons, statusCodes } from '../../core/saml/constants.ts'
import type { LogoutStatus } from '../../core/saml/logout.ts'
import { deliverLogout, pickLogoutEndpoint } from '../../core/saml/logout-binding.ts'
import type { IdpContext } from '../context.ts'
import type { FrontChannelFrame, SignOffOutcome } from '../sign-off/sign-off.ts'
import type { LogoutContinuation, LogoutFlow } from './logout-flows.ts'
import { FrontChannelPage, SignedOutPage } from './logout-pages.tsx'
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
 * The initiating SAML SP gets a signed LogoutResponse: Success, or Responder with PartialLogout
 * when some SAML participant could not be logged out (saml-core §3.2.2.2); an OIDC client or JWT
 * SP that started goes back to its redirect; otherwise the IdP shows every party's outcome. Any
 * front-channel logout URLs load on the way (frontChannelThen).
 */
function finishLogout(ctx: IdpContext, c: Context, flow: LogoutFlow) {
  const { initiator } = flow
  const { frames } = flow.signOff
  const sp = initiator.kind === 'sp' ? ctx.serviceProviders.get(initiator.spEntityId) : undefined
  const endpoint = sp && pickLogoutEndpoint(sp.singleLogoutServices)
  if (initiator.kind === 'sp' && endpoint) {
    const status: LogoutStatus =
      flow.failed.length === 0
        ? { code: statusCodes.success }
        : {
            code: statusCodes.responder,
            subCode: statusCodes.partialLogout,
            message: 'not every service provider confirmed the logout',
          }
    const delivery = logoutResponseTo(
      ctx,
      initiator.spEntityId,
      endpoint,
      initiator.requestId,
      status,
      initiator.relayState,
    )
    return frontChannelThen(ctx, c, frames, { kind: 'delivery', delivery })
  }
  if (initiator.kind === 'rp' && initiator.redirect !== undefined) {
    return frontChannelThen(ctx, c, frames, { kind: 'redirect', url: initiator.redirect })
  }
  c.header('Cache-Control', 'no-store')
  return c.html(renderHtml(<SignedOutPage outcomes={outcomesOf(flow)} frames={frames} />))
}

/** Every party's outcome: the SAML ones from the flow, then the OIDC clients and JWT SPs. */
export function outcomesOf(flow: LogoutFlow): SignOffOutcome[] {
  const saml = (outcome: 'confirmed' | 'failed') => (party: string) =>
    ({ protocol: 'saml', party, channel: 'saml-slo', outcome }) as const
  return [
    ...flow.confirmed.map(saml('confirmed')),
    ...flow.failed.map(saml('failed')),
    ...flow.signOff.outcomes,
  ]
}

/**
 * Goes on to `next` at once, or — when front-channel logout URLs must load first — through a
 * page that loads them in iframes and then posts to /logout/continue.
 */
function frontChannelThen(
  ctx: IdpContext,
  c: Context,
  frames: FrontChannelFrame[],
  next: LogoutContinuation,
) {
  c.header('Cache-Control', 'no-store')
  if (frames.length === 0) return resumeWith(c, next)
  return c.html(renderHtml(<FrontChannelPage frames={frames} token={ctx.logoutFlows.park(next)} />))
}

/** POST /logout/continue: where a front-channel page goes once its iframes have loaded. */
export async function continueAfterFrontChannel(ctx: IdpContext, c: Context) {
  const form = await c.req.parseBody()
  const next = ctx.logoutFlows.resume(typeof form.continue === 'string' ? form.continue : undefined)
  if (!next) {
    throw new SsoError(
      'IDP_FLOW_UNKNOWN',
      'continue',
      'this sign-out is unknown or already done',
      {},
    )
  }
  c.header('Cache-Control', 'no-store')
  return resumeWith(c, next)
}

function resumeWith(c: Context, next: LogoutContinuation) {
  return next.kind === 'redirect' ? c.redirect(next.url, 302) : deliverLogout(c, next.delivery)
}
