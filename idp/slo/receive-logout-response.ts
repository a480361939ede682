import { type CheckTable, runCheckTable } from '../../core/checks/run-check-table.ts'
import { SsoError } from '../../core/errors/index.ts'
import { statusCodes } from '../../core/saml/constants.ts'
import { type LogoutResponse, readLogoutResponse } from '../../core/saml/logout.ts'
import {
  checkMessageDestination,
  type DecodedLogout,
  logoutDestinationRule,
  verifyLogoutSignature,
} from '../../core/saml/logout-binding.ts'
import type { IdpContext } from '../context.ts'
import { spCryptoAllowance } from '../service-providers/crypto-allowance.ts'
import type { SpRegistration } from '../service-providers/registration.ts'
import type { LogoutFlow } from './logout-flows.ts'

/**
 * The IdP's checks on a session participant's LogoutResponse (saml-profiles §4.4.4.2), in order:
 *   1. samlp:LogoutResponse, Version 2.0, ID, IssueInstant, Issuer, Status  SAML_LOGOUT_RESPONSE_INVALID
 *   2. InResponseTo names a LogoutRequest the IdP sent and still waits on    SAML_LOGOUT_UNKNOWN_REQUEST
 *   3. the checks of participantResponseChecks: Issuer, Destination, Signature
 * Once 2 holds, the flow is taken (once) and goes on whatever follows: a failure of 3 or a
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

/** What a participant's LogoutResponse checks need and learn as they go. */
interface ParticipantChecks {
  ctx: IdpContext
  decoded: DecodedLogout
  response: LogoutResponse
  /** The SP the LogoutRequest went to. */
  spEntityId: string
  sp?: SpRegistration
}

/**
 * The checks on a LogoutResponse once it answers a LogoutRequest the IdP waits on
 * (saml-profiles §4.4.4.2), in the order they run: the cheap ones before the signature's
 * (catalogue case 38).
 */
export const participantResponseChecks: CheckTable<ParticipantChecks> = [
  [
    'Issuer',
    (checks) => {
      const { ctx, response, spEntityId } = checks
      checks.sp = ctx.serviceProviders.get(spEntityId)
      if (!checks.sp || response.issuer !== checks.sp.entityId) {
        throw new SsoError(
          'SAML_LOGOUT_ISSUER_UNKNOWN',
          'Issuer',
          'the LogoutResponse does not come from the service provider the request went to',
          { expected: spEntityId, received: response.issuer },
        )
      }
    },
    'the SP the LogoutRequest went to (SAML_LOGOUT_ISSUER_UNKNOWN)',
  ],
  [
    'Destination',
    ({ ctx, decoded, response }) =>
      checkMessageDestination(decoded, response, ctx.options.urls.slo),
    logoutDestinationRule,
  ],
  [
    'Signature',
    ({ ctx, decoded, response, sp }) => {
      const registered = sp as SpRegistration
      verifyLogoutSignature(
        decoded,
        response.element,
        registered.certificates,
        registered.certificates.length > 0,
        spCryptoAllowance(ctx.options.log, registered),
      )
    },
    "verified with the SP's registered certificates; required when it registered any (SAML_LOGOUT_SIGNATURE_MISSING / _INVALID)",
  ],
]

/** Runs participantResponseChecks: the failure, or undefined when every check passed. */
function checkParticipantResponse(
  ctx: IdpContext,
  decoded: DecodedLogout,
  response: LogoutResponse,
  spEntityId: string,
): SsoError | undefined {
  try {
    runCheckTable(participantResponseChecks, () => ({ ctx, decoded, response, spEntityId }))
    return undefined
  } catch (error) {
    if (error instanceof SsoError) return error
    throw error
  }
}
