import { SsoError } from '../../core/errors/index.ts'
import { statusCodes } from '../../core/saml/constants.ts'
import { readLogoutResponse } from '../../core/saml/logout.ts'
import {
  checkLogoutDestination,
  type DecodedLogout,
  verifyLogoutSignature,
} from '../../core/saml/logout-binding.ts'
import type { IdpContext } from '../context.ts'
import type { LogoutFlow } from './logout-flows.ts'

/**
 * The IdP's checks on a session participant's LogoutResponse (saml-profiles §4.4.4.2), in order:
 *   1. samlp:LogoutResponse, Version 2.0, ID, IssueInstant, Issuer, Status  SAML_LOGOUT_RESPONSE_INVALID
 *   2. InResponseTo names a LogoutRequest the IdP sent and still waits on    SAML_LOGOUT_UNKNOWN_REQUEST
 *   3. the Issuer is the SP that request went to                           SAML_LOGOUT_ISSUER_UNKNOWN
 *   4. the signature verifies with that SP's registered certificates;      SAML_LOGOUT_SIGNATURE_MISSING
 *      required when it registered any                                      / _INVALID
 *   5. Destination is this SingleLogoutService (required when signed)      SAML_LOGOUT_DESTINATION_MISMATCH
 * Only then is the flow taken (once) and the answer recorded: a non-success status makes the
 * logout partial, it does not stop it.
 */
export function receiveLogoutResponse(ctx: IdpContext, decoded: DecodedLogout): LogoutFlow {
  const response = readLogoutResponse(decoded.document)
  const flow = ctx.logoutFlows.get(response.inResponseTo)
  const awaiting = flow?.awaiting
  if (!flow || !awaiting || response.inResponseTo === undefined) {
    throw new SsoError(
      'SAML_LOGOUT_UNKNOWN_REQUEST',
      'InResponseTo',
      'the LogoutResponse answers no LogoutRequest the IdP is waiting on',
      { inResponseTo: response.inResponseTo?.slice(0, 100) ?? null },
    )
  }
  const sp = ctx.serviceProviders.get(awaiting.spEntityId)
  if (!sp || response.issuer !== sp.entityId) {
    throw new SsoError(
      'SAML_LOGOUT_ISSUER_UNKNOWN',
      'Issuer',
      'the LogoutResponse does not come from the service provider the request went to',
      { expected: awaiting.spEntityId, received: response.issuer },
    )
  }
  const signed = verifyLogoutSignature(
    decoded,
    response.element,
    sp.certificates,
    sp.certificates.length > 0,
  )
  checkLogoutDestination(response.destination, ctx.options.urls.slo, signed)

  ctx.logoutFlows.take(response.inResponseTo)
  if (response.status.code === statusCodes.success) flow.confirmed.push(sp.entityId)
  else flow.failed.push(sp.entityId)
  ctx.options.log(
    `IdP LogoutResponse from ${sp.entityId}: ${response.status.code === statusCodes.success ? 'success' : 'not success'}`,
  )
  return flow
}
