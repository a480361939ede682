import { SsoError } from '../../core/errors/index.ts'
import { statusCodes } from '../../core/saml/constants.ts'
import { type LogoutResponse, readLogoutResponse } from '../../core/saml/logout.ts'
import {
  checkLogoutDestination,
  type DecodedLogout,
  isLogoutSigned,
  verifyLogoutSignature,
} from '../../core/saml/logout-binding.ts'
import type { SpContext } from '../context.ts'
import { checkLogoutIssuer } from './check-logout-issuer.ts'

/**
 * The SP's checks on the IdP's LogoutResponse (saml-profiles §4.4.4.2), in order:
 *   1. samlp:LogoutResponse, Version 2.0, ID, IssueInstant, Issuer, Status  SAML_LOGOUT_RESPONSE_INVALID
 *   2. the Issuer is the configured IdP                                     SAML_LOGOUT_ISSUER_UNKNOWN
 *   3. Destination is this SingleLogoutService (required when signed)       SAML_LOGOUT_DESTINATION_MISMATCH
 *   4. signed, and the signature verifies with the IdP certificates only    SAML_LOGOUT_SIGNATURE_MISSING / _INVALID
 *   5. InResponseTo is a LogoutRequest this SP sent and still waits on;     SAML_LOGOUT_UNKNOWN_REQUEST
 *      it is used up here
 *   6. the status is Success                                                SAML_LOGOUT_STATUS_NOT_SUCCESS
 * The cheap checks come before the signature's (catalogue case 38); the pending LogoutRequest is
 * used up only by an answer whose signature verified.
 */
export function receiveLogoutResponse(ctx: SpContext, decoded: DecodedLogout): LogoutResponse {
  const { options } = ctx
  const response = readLogoutResponse(decoded.document)
  checkLogoutIssuer(response.issuer, options.idp.entityId)
  checkLogoutDestination(
    response.destination,
    options.urls.slo,
    isLogoutSigned(decoded, response.element),
  )
  verifyLogoutSignature(decoded, response.element, options.idp.certificates, true)
  if (!ctx.pendingLogouts.take(response.inResponseTo)) {
    throw new SsoError(
      'SAML_LOGOUT_UNKNOWN_REQUEST',
      'InResponseTo',
      'the LogoutResponse answers no LogoutRequest this SP is waiting on',
      { inResponseTo: response.inResponseTo?.slice(0, 100) ?? null },
    )
  }
  if (response.status.code !== statusCodes.success) {
    throw new SsoError(
      'SAML_LOGOUT_STATUS_NOT_SUCCESS',
      'Status',
      'the IdP did not confirm the logout everywhere; you are signed out of this site',
      {
        status: response.status.code.slice(0, 200),
        subStatus: response.status.subCode?.slice(0, 200) ?? null,
        message: response.status.message ?? null,
      },
    )
  }
  return response
}
