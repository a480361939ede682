import { newId } from '../../core/random/index.ts'
import { buildLogoutResponse, type LogoutStatus } from '../../core/saml/logout.ts'
import { encodeLogout, type LogoutDelivery } from '../../core/saml/logout-binding.ts'
import type { Endpoint } from '../../core/saml/metadata-build.ts'
import type { IdpContext } from '../context.ts'
import { logoutXmlWithFaults } from '../faults/saml/logout-faults.ts'

/** A signed LogoutResponse from the IdP to an SP's SingleLogoutService (saml-profiles §4.4.4.2). */
export function logoutResponseTo(
  ctx: IdpContext,
  spEntityId: string,
  endpoint: Endpoint,
  inResponseTo: string,
  status: LogoutStatus,
  relayState: string | undefined,
): LogoutDelivery {
  const { options } = ctx
  const id = newId(options.random)
  const xml = buildLogoutResponse({
    id,
    issueInstant: options.clock.now(),
    destination: endpoint.responseLocation ?? endpoint.location,
    inResponseTo,
    issuer: options.entityId,
    status,
  })
  return encodeLogout({
    endpoint,
    param: 'SAMLResponse',
    xml: logoutXmlWithFaults(ctx, spEntityId, endpoint, xml),
    id,
    relayState,
    credential: options.credential,
  })
}
