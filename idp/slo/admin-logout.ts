import { SsoError } from '../../core/errors/index.ts'
import { logoutReasons } from '../../core/saml/constants.ts'
import type { IdpContext } from '../context.ts'
import { logoutRequestTo } from './send-logout-request.ts'

/**
 * POST /admin/logout {"userId"} — IdP-initiated logout without a browser. The user's IdP
 * sessions end at once; the front channel needs a user agent, so the answer lists one signed
 * LogoutRequest per SP that shares a session, for the caller to deliver (follow the URL, or post
 * the form). The SP matches the request by NameID and SessionIndex, not by cookie, so any client
 * may deliver it; the SP's LogoutResponse comes back to /saml/slo and is checked like any other.
 */
export function adminLogout(ctx: IdpContext, body: unknown) {
  const userId = (body as { userId?: unknown } | null)?.userId
  if (typeof userId !== 'string' || userId === '') {
    throw new SsoError('CONFIG_INVALID', 'userId', 'userId must be a non-empty string', {})
  }
  const sessions = ctx.sessions.forUser(userId)
  const logoutRequests = []
  const unreachable: string[] = []
  for (const session of sessions) {
    ctx.sessions.end(session.sessionIndex)
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
  return { userId, endedSessions: sessions.length, logoutRequests, unreachable }
}
