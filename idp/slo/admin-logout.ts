import { SsoError } from '../../core/errors/index.ts'
import { logoutReasons } from '../../core/saml/constants.ts'
import type { IdpContext } from '../context.ts'
import { signOffRelyingParties } from '../sign-off/sign-off.ts'
import { logoutRequestTo } from './send-logout-request.ts'

/**
 * POST /admin/logout {"userId"} — IdP-initiated single sign-off without a browser. The user's IdP
 * sessions end at once, and in the answer:
 *   backChannel     each OIDC client and JWT SP the IdP signed off now, server to server, with
 *                   its outcome (confirmed, failed, not-supported)
 *   frontChannel    the front-channel logout URLs of OIDC clients, for a browser to load
 *   logoutRequests  one signed LogoutRequest per SAML SP, for the caller to deliver (follow the
 *                   URL, or post the form); the SP matches it by NameID and SessionIndex, not by
 *                   cookie, and its LogoutResponse comes back to /saml/slo, checked like any other
 *   unreachable     SAML SPs without a SingleLogoutService
 */
export async function adminLogout(ctx: IdpContext, body: unknown) {
  const userId = (body as { userId?: unknown } | null)?.userId
  if (typeof userId !== 'string' || userId === '') {
    throw new SsoError('CONFIG_INVALID', 'userId', 'userId must be a non-empty string', {})
  }
  const sessions = ctx.sessions.forUser(userId)
  for (const session of sessions) ctx.sessions.end(session.sessionIndex)
  const signOff = await signOffRelyingParties(ctx, sessions)
  const logoutRequests = []
  const unreachable: string[] = []
  for (const session of sessions) {
    for (const participant of session.participants) {
      const outgoing = logoutRequestTo(ctx, participant, logoutReasons.admin)
      if (!outgoing) {
        unreachable.push(participant.spEntityId)
        continue
      }
      ctx.logoutFlows.wait(outgoing.id, {
        initiator: { kind: 'admin' },
        remaining: [],
        awaiting: { spEntityId: participant.spEntityId, requestId: outgoing.id },
        confirmed: [],
        failed: [],
        signOff: { outcomes: [], frames: [] },
      })
      const { delivery } = outgoing
      logoutRequests.push(
        delivery.binding === 'redirect'
          ? { serviceProvider: participant.spEntityId, binding: 'redirect', url: delivery.url }
          : {
              serviceProvider: participant.spEntityId,
              binding: 'post',
              location: delivery.location,
              form: delivery.form,
            },
      )
    }
  }
  ctx.options.log(`IdP admin logout of ${userId}: ${sessions.length} session(s) ended`)
  return {
    userId,
    endedSessions: sessions.length,
    logoutRequests,
    unreachable,
    backChannel: signOff.outcomes.filter((outcome) => outcome.channel !== 'front-channel'),
    frontChannel: signOff.frames.map((frame) => ({ relyingParty: frame.party, url: frame.url })),
  }
}
