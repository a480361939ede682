import { SsoError } from '../../core/errors/index.ts'
import {
  checkLogoutNotExpired,
  type LogoutRequest,
  readLogoutRequest,
} from '../../core/saml/logout.ts'
import {
  checkLogoutDestination,
  type DecodedLogout,
  isLogoutSigned,
  verifyLogoutSignature,
} from '../../core/saml/logout-binding.ts'
import type { SpContext } from '../context.ts'
import { checkLogoutIssuer } from './check-logout-issuer.ts'

/**
 * The SP's checks on the IdP's LogoutRequest (saml-profiles §4.4.4.1), in order:
 *   1. samlp:LogoutRequest, Version 2.0, ID, IssueInstant, Issuer, NameID   SAML_LOGOUT_REQUEST_INVALID
 *   2. the Issuer is the configured IdP                                     SAML_LOGOUT_ISSUER_UNKNOWN
 *   3. Destination is this SingleLogoutService (required when signed)       SAML_LOGOUT_DESTINATION_MISMATCH
 *   4. NotOnOrAfter has not passed (with the allowed clock skew)            SAML_LOGOUT_EXPIRED
 *   5. signed, and the signature verifies with the IdP certificates only    SAML_LOGOUT_SIGNATURE_MISSING / _INVALID
 *   6. the IdP's Log Out URL is configured, to answer to                    SAML_LOGOUT_ENDPOINT_MISSING
 * The cheap checks come before the signature's (catalogue case 38).
 * Which sessions end (NameID and SessionIndex) is decided by the caller.
 */
export function receiveLogoutRequest(
  ctx: SpContext,
  decoded: DecodedLogout,
): { request: LogoutRequest; sloUrl: string } {
  const { options } = ctx
  const request = readLogoutRequest(decoded.document)
  checkLogoutIssuer(request.issuer, options.idp.entityId)
  checkLogoutDestination(
    request.destination,
    options.urls.slo,
    isLogoutSigned(decoded, request.element),
  )
  checkLogoutNotExpired(request, options.clock.now(), options.clockSkewMs)
  verifyLogoutSignature(decoded, request.element, options.idp.certificates, true)
  const sloUrl = options.idp.sloUrl
  if (!sloUrl) {
    throw new SsoError(
      'SAML_LOGOUT_ENDPOINT_MISSING',
      'idp.sloUrl',
      'the SP has no Log Out URL for the IdP to send the LogoutResponse to',
      {},
    )
  }
  return { request, sloUrl }
}
