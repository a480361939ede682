import type { Context } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import { statusCodes } from '../../core/saml/constants.ts'
import {
  decodeLogout,
  deliverLogout,
  type IncomingLogout,
  logoutParamOf,
} from '../../core/saml/logout-binding.ts'
import type { IdpContext } from '../context.ts'
import { idpSessionCookie, type SessionParticipant } from '../session/idp-sessions.ts'
import { signOffRelyingParties } from '../sign-off/sign-off.ts'
import { continueLogout } from './continue-logout.tsx'
import { receiveLogoutRequest } from './receive-logout-request.ts'
import { receiveLogoutResponse } from './receive-logout-response.ts'
import { logoutResponseTo } from './send-logout-response.ts'

/**
 * GET/POST /saml/slo — the IdP's SingleLogoutService (HTTP-Redirect and HTTP-POST).
 *   SAMLRequest  from an SP: end the IdP sessions it names, sign off their OIDC clients and JWT
 *                SPs (sign-off/), log the other SAML participants out one by one, then answer the SP (an unknown principal is answered at once, Requester /
 *                UnknownPrincipal, and nothing ends)
 *   SAMLResponse from a participant the IdP asked: record the answer and go on with the flow
 */
export async function handleSlo(ctx: IdpContext, c: Context, incoming: IncomingLogout) {
  const decoded = decodeLogout(incoming, logoutParamOf(incoming))
  if (decoded.param === 'SAMLResponse') {
    return continueLogout(ctx, c, receiveLogoutResponse(ctx, decoded))
  }
  const accepted = receiveLogoutRequest(ctx, decoded)
  const { request, sp } = accepted
  if (accepted.sessions.length === 0) {
    ctx.options.log(`IdP LogoutRequest from ${sp.entityId}: no matching session`)
    return deliverLogout(
      c,
      logoutResponseTo(
        ctx,
        sp.entityId,
        accepted.endpoint,
        request.id,
        {
          code: statusCodes.requester,
          subCode: statusCodes.unknownPrincipal,
          message: 'no IdP session matches this NameID and SessionIndex',
        },
        accepted.relayState,
      ),
    )
  }
  const others: SessionParticipant[] = []
  for (const session of accepted.sessions) {
    ctx.sessions.end(session.sessionIndex)
    others.push(...session.participants.filter((p) => p.spEntityId !== sp.entityId))
  }
  // This browser's cookie goes if its session was among those ended.
  if (!ctx.sessions.get(getCookie(c, idpSessionCookie))) {
    deleteCookie(c, idpSessionCookie, { path: '/' })
  }
  ctx.options.log(
    `IdP LogoutRequest from ${sp.entityId}: ${accepted.sessions.length} session(s) ended, ${others.length} other participant(s)`,
  )
  return continueLogout(ctx, c, {
    initiator: {
      kind: 'sp',
      spEntityId: sp.entityId,
      requestId: request.id,
      relayState: accepted.relayState,
    },
    remaining: others,
    awaiting: undefined,
    confirmed: [],
    failed: [],
    signOff: await signOffRelyingParties(ctx, accepted.sessions),
  })
}
