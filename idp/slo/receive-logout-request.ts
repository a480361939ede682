import { fromEarlier } from '../../core/checks/from-earlier.ts'
import { type CheckTable, runCheckTable } from '../../core/checks/run-check-table.ts'
import { SsoError } from '../../core/errors/index.ts'
import {
  checkLogoutNotExpired,
  type LogoutRequest,
  readLogoutRequest,
  sameNameId,
} from '../../core/saml/logout.ts'
import {
  checkMessageDestination,
  type DecodedLogout,
  logoutDestinationRule,
  pickLogoutEndpoint,
  verifyLogoutSignature,
} from '../../core/saml/logout-binding.ts'
import type { Endpoint } from '../../core/saml/metadata-build.ts'
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

/** What the checks learn as they go; each reads what the ones before it set. */
interface RequestChecks {
  ctx: IdpContext
  decoded: DecodedLogout
  request?: LogoutRequest
  sp?: SpRegistration
  endpoint?: Endpoint
}

/**
 * The IdP's checks on an SP's LogoutRequest (saml-profiles §4.4.4.1), in the order they run: the
 * cheap ones before the signature's (catalogue case 38).
 */
export const idpLogoutRequestChecks: CheckTable<RequestChecks> = [
  [
    'LogoutRequest',
    (checks) => {
      checks.request = readLogoutRequest(checks.decoded.document)
    },
    'samlp:LogoutRequest, Version 2.0, ID, IssueInstant, Issuer, NameID (SAML_LOGOUT_REQUEST_INVALID)',
  ],
  [
    'Issuer',
    (checks) => {
      const issuer = checks.request?.issuer ?? ''
      checks.sp = checks.ctx.serviceProviders.get(issuer)
      if (!checks.sp) {
        throw new SsoError(
          'SAML_LOGOUT_ISSUER_UNKNOWN',
          'Issuer',
          'the LogoutRequest Issuer is not a registered service provider',
          { issuer: issuer.slice(0, 200) },
        )
      }
    },
    'a registered service provider (SAML_LOGOUT_ISSUER_UNKNOWN)',
  ],
  [
    'Destination',
    ({ ctx, decoded, request }) => checkMessageDestination(decoded, request, ctx.options.urls.slo),
    logoutDestinationRule,
  ],
  [
    'NotOnOrAfter',
    ({ ctx, request }) => {
      if (request) checkLogoutNotExpired(request, ctx.options.clock.now(), clockSkewMs)
    },
    'not passed, with a minute of skew (SAML_LOGOUT_EXPIRED)',
  ],
  [
    'Signature',
    (checks) => {
      const sp = checks.sp as SpRegistration
      verifyLogoutSignature(
        checks.decoded,
        fromEarlier(checks.request?.element, 'the LogoutRequest'),
        sp.certificates,
        sp.certificates.length > 0,
        spCryptoAllowance(checks.ctx.options.log, sp),
      )
    },
    "verified with the SP's registered certificates; required when it registered any (SAML_LOGOUT_SIGNATURE_MISSING / _INVALID)",
  ],
  [
    'SingleLogoutService',
    (checks) => {
      const sp = checks.sp as SpRegistration
      checks.endpoint = pickLogoutEndpoint(sp.singleLogoutServices)
      if (!checks.endpoint) {
        throw new SsoError(
          'SAML_LOGOUT_ENDPOINT_MISSING',
          'SingleLogoutService',
          'the service provider registered no SingleLogoutService to send the LogoutResponse to',
          { issuer: sp.entityId },
        )
      }
    },
    'the SP registered one to answer to (SAML_LOGOUT_ENDPOINT_MISSING)',
  ],
]

/**
 * Runs idpLogoutRequestChecks, then finds the sessions the request names: those in which this
 * SP was given this NameID (value and Format) and, when the request names SessionIndexes, one of
 * them (saml-profiles §4.4.3.2).
 */
export function receiveLogoutRequest(
  ctx: IdpContext,
  decoded: DecodedLogout,
): AcceptedLogoutRequest {
  const { ctx: checked } = runCheckTable(
    idpLogoutRequestChecks,
    (): RequestChecks => ({ ctx, decoded }),
  )
  const request = checked.request as LogoutRequest
  const sp = checked.sp as SpRegistration
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
  return {
    request,
    sp,
    endpoint: checked.endpoint as Endpoint,
    relayState: decoded.relayState,
    sessions,
  }
}
