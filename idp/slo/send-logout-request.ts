import { newId } from '../../core/random/index.ts'
import { buildLogoutRequest } from '../../core/saml/logout.ts'
import {
  encodeLogout,
  type LogoutDelivery,
  pickLogoutEndpoint,
} from '../../core/saml/logout-binding.ts'
import type { IdpContext } from '../context.ts'
import { logoutXmlWithFaults } from '../faults/saml/logout-faults.ts'
import type { SessionParticipant } from '../session/idp-sessions.ts'

/** How long an SP may take to act on the IdP's LogoutRequest (its NotOnOrAfter). */
const logoutRequestLifetimeMs = 5 * 60_000

/**
 * A signed LogoutRequest from the IdP to one session participant, with the NameID and
 * SessionIndex that SP was given (saml-profiles §4.4.4.1). Undefined when the SP is no longer
 * registered or registered no SingleLogoutService.
 */
export function logoutRequestTo(
  ctx: IdpContext,
  participant: SessionParticipant,
  reason: string,
): { id: string; delivery: LogoutDelivery } | undefined {
  const { options } = ctx
  const sp = ctx.serviceProviders.get(participant.spEntityId)
  const endpoint = sp && pickLogoutEndpoint(sp.singleLogoutServices)
  if (!endpoint) return undefined
  const id = newId(options.random)
  const now = options.clock.now()
  const xml = buildLogoutRequest({
    id,
    issueInstant: now,
    destination: endpoint.location,
    issuer: options.entityId,
    nameId: participant.nameId,
    nameIdFormat: participant.nameIdFormat,
    nameQualifier: participant.nameQualifier,
    spNameQualifier: participant.spNameQualifier,
    sessionIndexes: [participant.sessionIndex],
    notOnOrAfter: now + logoutRequestLifetimeMs,
    reason,
  })
  options.log(`IdP LogoutRequest sent to ${participant.spEntityId}`)
  return {
    id,
    delivery: encodeLogout({
      endpoint,
      param: 'SAMLRequest',
      xml: logoutXmlWithFaults(ctx, participant.spEntityId, endpoint, xml),
      id,
      credential: options.credential,
    }),
  }
}
