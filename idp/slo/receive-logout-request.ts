import { SsoError } from '../../core/errors/index.ts'
import {
  checkLogoutNotExpired,
  type LogoutRequest,
  readLogoutRequest,
  sameNameId,
} from '../../core/saml/logout.ts'
import {
  checkLogoutDestination,
  type DecodedLogout,
  pickLogoutEndpoint,
  verifyLogoutSignature,
} from '../../core/saml/logout-binding.ts'
import type { Endpoint } from '../../core/saml/metadata.ts'
import type { IdpContext } from '../context.ts'
import { spCryptoAllowance } from '../service-providers/crypto-allowance.ts'
import type { SpRegistration } from '../service-providers/registration.ts'
import type { IdpSession } from '../session/idp-sessions.ts'

/** Clock difference allowed on a LogoutRequest's NotOnOrAfter. */
const clockSkewMs = 60_000

export interface AcceptedLogoutRequest {
  request: LogoutRequest
  sp: SpRegistration
  /** Where the answer goes. */
  endpoint: Endpoint
  relayState: string | undefined
  /** The IdP sessions the request names; none means an unknown principal. */
  sessions: IdpSession[]
}

/**
 * The IdP's checks on an SP's LogoutRequest (saml-profiles §4.4.4.1), in order:
 *   1. samlp:LogoutRequest, Version 2.0, ID, IssueInstant, Issuer, NameID   SAML_LOGOUT_REQUEST_INVALID
 *   2. the Issuer is a registered service provider                         SAML_LOGOUT_ISSUER_UNKNOWN
 *   3. the signature verifies with the SP's registered certificates;       SAML_LOGOUT_SIGNATURE_MISSING
 *      required when the SP registered any                                 / _INVALID
 *   4. Destination is this SingleLogoutService (required when signed)       SAML_LOGOUT_DESTINATION_MISMATCH
 *   5. NotOnOrAfter has not passed                                          SAML_LOGOUT_EXPIRED
 *   6. the SP registered a SingleLogoutService to answer to                SAML_LOGOUT_ENDPOINT_MISSING
 * Then the sessions: those in which this SP was given this NameID (value and Format) and, when
 * the request names SessionIndexes, one of them (saml-profiles §4.4.3.2).
 */
export function receiveLogoutRequest(
  ctx: IdpContext,
  decoded: DecodedLogout,
): AcceptedLogoutRequest {
  const request = readLogoutRequest(decoded.document)
  const sp = ctx.serviceProviders.get(request.issuer)
  if (!sp) {
    throw new SsoError(
      'SAML_LOGOUT_ISSUER_UNKNOWN',
      'Issuer',
      'the LogoutRequest Issuer is not a registered service provider',
      { issuer: request.issuer },
    )
  }
  const signed = verifyLogoutSignature(
    decoded,
    request.element,
    sp.certificates,
    sp.certificates.length > 0,
    spCryptoAllowance(ctx.options.log, sp),
  )
  checkLogoutDestination(request.destination, ctx.options.urls.slo, signed)
  checkLogoutNotExpired(request, ctx.options.clock.now(), clockSkewMs)
  const endpoint = pickLogoutEndpoint(sp.singleLogoutServices)
  if (!endpoint) {
    throw new SsoError(
      'SAML_LOGOUT_ENDPOINT_MISSING',
      'SingleLogoutService',
      'the service provider registered no SingleLogoutService to send the LogoutResponse to',
      { issuer: sp.entityId },
    )
  }
  const sessions = ctx.sessions
    .findByParticipant(sp.entityId, request.nameId)
    .filter((session) =>
      session.participants.some(
        (participant) =>
          participant.spEntityId === sp.entityId &&
          sameNameId(participant, request) &&
          (request.sessionIndexes.length === 0 ||
            request.sessionIndexes.includes(participant.sessionIndex)),
      ),
    )
  return { request, sp, endpoint, relayState: decoded.relayState, sessions }
}
