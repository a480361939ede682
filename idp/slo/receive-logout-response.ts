import { SsoError } from '../../core/errors/index.ts'
import { statusCodes } from '../../core/saml/constants.ts'
import { readLogoutResponse } from '../../core/saml/logout.ts'
import {
  checkLogoutDestination,
  type DecodedLogout,
  verifyLogoutSignature,
} from '../../core/saml/logout-binding.ts'
import type { IdpContext } from '../context.ts'
import { spCryptoAllowance } from '../service-providers/crypto-allowance.ts'
import type { LogoutFlow } from './logout-flows.ts'

/**
 * The IdP's checks on a session participant's LogoutResponse (saml-profiles §4.4.4.2), in order:
 *   1. samlp:LogoutResponse, Version 2.0, ID, IssueInstant, Issuer, Status  SAML_LOGOUT_RESPONSE_INVALID
 *   2. InResponseTo names a LogoutRequest the IdP sent and still waits on    SAML_LOGOUT_UNKNOWN_REQUEST
 *   3. the Issuer is the SP that request went to                           SAML_LOGOUT_ISSUER_UNKNOWN
 *   4. the signature verifies with that SP's registered certificates;      SAML_LOGOUT_SIGNATURE_MISSING
 *      required when it registered any                                      / _INVALID
 *   5. Destination is this SingleLogoutService (required when signed)      SAML_LOGOUT_DESTINATION_MISMATCH
 * Once 2 holds, the flow is taken (once) and goes on whatever follows: a failure of 3–5 or a
 * non-success status counts that SP as not logged out (the logout becomes partial) and is logged
 * with its code, but it never stops the logout of the SPs after it.
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
  const checked = checkParticipantResponse(ctx, decoded, response, awaiting.spEntityId)
  ctx.logoutFlows.take(response.inResponseTo)
  if (checked !== undefined) {
    // One participant's bad answer must not strand the others still signed in: it counts as
    // not logged out, the flow goes on, and the initiator hears PartialLogout.
    flow.failed.push(awaiting.spEntityId)
    ctx.options.log(
      `IdP LogoutResponse for ${awaiting.spEntityId} refused: ${checked.code} (${checked.check}); counted as not logged out, the logout goes on`,
    )
    return flow
  }
  if (response.status.code === statusCodes.success) flow.confirmed.push(awaiting.spEntityId)
  else flow.failed.push(awaiting.spEntityId)
  ctx.options.log(
    `IdP LogoutResponse from ${awaiting.spEntityId}: ${response.status.code === statusCodes.success ? 'success' : 'not success'}`,
  )
  return flow
}

/** Steps 3–5: the failure, or undefined when the response comes, signed, from the SP asked. */
function checkParticipantResponse(
  ctx: IdpContext,
  decoded: DecodedLogout,
  response: ReturnType<typeof readLogoutResponse>,
  spEntityId: string,
): SsoError | undefined {
  try {
    const sp = ctx.serviceProviders.get(spEntityId)
    if (!sp || response.issuer !== sp.entityId) {
      throw new SsoError(
        'SAML_LOGOUT_ISSUER_UNKNOWN',
        'Issuer',
        'the LogoutResponse does not come from the service provider the request went to',
        { expected: spEntityId, received: response.issuer },
      )
    }
    const signed = verifyLogoutSignature(
      decoded,
      response.element,
      sp.certificates,
      sp.certificates.length > 0,
      spCryptoAllowance(ctx.options.log, sp),
    )
    checkLogoutDestination(response.destination, ctx.options.urls.slo, signed)
    return undefined
  } catch (error) {
    if (error instanceof SsoError) return error
    throw error
  }
}
