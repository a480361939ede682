import { fromEarlier } from '../../core/checks/from-earlier.ts'
import {
  type CheckReport,
  type CheckTable,
  runCheckTable,
} from '../../core/checks/run-check-table.ts'
import { SsoError } from '../../core/errors/index.ts'
import {
  checkLogoutNotExpired,
  type LogoutRequest,
  readLogoutRequest,
} from '../../core/saml/logout.ts'
import {
  checkMessageDestination,
  type DecodedLogout,
  logoutDestinationRule,
  verifyLogoutSignature,
} from '../../core/saml/logout-binding.ts'
import type { SpContext } from '../context.ts'
import { checkLogoutIssuer } from './check-logout-issuer.ts'

interface RequestChecks {
  ctx: SpContext
  decoded: DecodedLogout
  request?: LogoutRequest
  sloUrl?: string
}

/**
 * The SP's checks on the IdP's LogoutRequest (saml-profiles §4.4.4.1), in the order they run: the cheap
 * ones before the signature's (catalogue case 38).
 * Which sessions end (NameID and SessionIndex) is decided by the caller.
 */
export const logoutRequestChecks: CheckTable<RequestChecks> = [
  [
    'LogoutRequest',
    (checks) => {
      checks.request = readLogoutRequest(checks.decoded.document)
    },
    'samlp:LogoutRequest, Version 2.0, ID, IssueInstant, Issuer, NameID (SAML_LOGOUT_REQUEST_INVALID)',
  ],
  [
    'Issuer',
    ({ ctx, request }) => checkLogoutIssuer(request?.issuer ?? '', ctx.options.idp.entityId),
    'the configured IdP (SAML_LOGOUT_ISSUER_UNKNOWN)',
  ],
  [
    'Destination',
    ({ ctx, decoded, request }) => checkMessageDestination(decoded, request, ctx.options.urls.slo),
    logoutDestinationRule,
  ],
  [
    'NotOnOrAfter',
    ({ ctx, request }) => {
      if (request) checkLogoutNotExpired(request, ctx.options.clock.now(), ctx.options.clockSkewMs)
    },
    'not passed, with the allowed skew (SAML_LOGOUT_EXPIRED)',
  ],
  [
    'Signature',
    ({ ctx, decoded, request }) => {
      verifyLogoutSignature(
        decoded,
        fromEarlier(request?.element, 'the LogoutRequest'),
        ctx.options.idp.certificates,
        true,
      )
    },
    'signed, verified with the IdP certificates only (SAML_LOGOUT_SIGNATURE_MISSING / _INVALID)',
  ],
  [
    'SingleLogoutService',
    (checks) => {
      const sloUrl = checks.ctx.options.idp.sloUrl
      if (!sloUrl) {
        throw new SsoError(
          'SAML_LOGOUT_ENDPOINT_MISSING',
          'idp.sloUrl',
          'the SP has no Log Out URL for the IdP to send the LogoutResponse to',
          {},
        )
      }
      checks.sloUrl = sloUrl
    },
    "the IdP's Log Out URL is configured, to answer to (SAML_LOGOUT_ENDPOINT_MISSING)",
  ],
]

/** Runs logoutRequestChecks; `onCheck` hears each (the diagnostics). */
export function receiveLogoutRequest(
  ctx: SpContext,
  decoded: DecodedLogout,
  onCheck?: (report: CheckReport) => void,
): { request: LogoutRequest; sloUrl: string } {
  const { ctx: checked } = runCheckTable(
    logoutRequestChecks,
    (): RequestChecks => ({ ctx, decoded }),
    onCheck,
  )
  return { request: checked.request as LogoutRequest, sloUrl: checked.sloUrl as string }
}
