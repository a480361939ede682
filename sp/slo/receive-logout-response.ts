import { fromEarlier } from '../../core/checks/from-earlier.ts'
import {
  type CheckReport,
  type CheckTable,
  runCheckTable,
} from '../../core/checks/run-check-table.ts'
import { SsoError } from '../../core/errors/index.ts'
import { statusCodes } from '../../core/saml/constants.ts'
import { type LogoutResponse, readLogoutResponse } from '../../core/saml/logout.ts'
import {
  checkMessageDestination,
  type DecodedLogout,
  logoutDestinationRule,
  verifyLogoutSignature,
} from '../../core/saml/logout-binding.ts'
import type { SpContext } from '../context.ts'
import { checkLogoutIssuer } from './check-logout-issuer.ts'

interface ResponseChecks {
  ctx: SpContext
  decoded: DecodedLogout
  response?: LogoutResponse
}

/** The SP's checks on the IdP's LogoutResponse (saml-profiles §4.4.4.2), in the order they run: the cheap
 * ones before the signature's (catalogue case 38). */
export const logoutResponseChecks: CheckTable<ResponseChecks> = [
  [
    'LogoutResponse',
    (checks) => {
      checks.response = readLogoutResponse(checks.decoded.document)
    },
    'samlp:LogoutResponse, Version 2.0, ID, IssueInstant, Issuer, Status (SAML_LOGOUT_RESPONSE_INVALID)',
  ],
  [
    'Issuer',
    ({ ctx, response }) => checkLogoutIssuer(response?.issuer ?? '', ctx.options.idp.entityId),
    'the configured IdP (SAML_LOGOUT_ISSUER_UNKNOWN)',
  ],
  [
    'Destination',
    ({ ctx, decoded, response }) =>
      checkMessageDestination(decoded, response, ctx.options.urls.slo),
    logoutDestinationRule,
  ],
  [
    'Signature',
    ({ ctx, decoded, response }) => {
      verifyLogoutSignature(
        decoded,
        fromEarlier(response?.element, 'the LogoutResponse'),
        ctx.options.idp.certificates,
        true,
      )
    },
    'signed, verified with the IdP certificates only (SAML_LOGOUT_SIGNATURE_MISSING / _INVALID)',
  ],
  [
    'InResponseTo',
    ({ ctx, response }) => {
      // Used up here: a LogoutResponse answers its request once.
      if (!ctx.pendingLogouts.take(response?.inResponseTo)) {
        throw new SsoError(
          'SAML_LOGOUT_UNKNOWN_REQUEST',
          'InResponseTo',
          'the LogoutResponse answers no LogoutRequest this SP is waiting on',
          { inResponseTo: response?.inResponseTo?.slice(0, 100) ?? null },
        )
      }
    },
    'a LogoutRequest this SP sent and still waits on, used once (SAML_LOGOUT_UNKNOWN_REQUEST)',
  ],
  [
    'Status',
    ({ response }) => {
      const status = response?.status
      if (status && status.code !== statusCodes.success) {
        throw new SsoError(
          'SAML_LOGOUT_STATUS_NOT_SUCCESS',
          'Status',
          'the IdP did not confirm the logout everywhere; you are signed out of this site',
          {
            status: status.code.slice(0, 200),
            subStatus: status.subCode?.slice(0, 200) ?? null,
            message: status.message ?? null,
          },
        )
      }
    },
    'Success (SAML_LOGOUT_STATUS_NOT_SUCCESS; the SP session has ended anyway)',
  ],
]

/** Runs logoutResponseChecks; `onCheck` hears each (the diagnostics). */
export function receiveLogoutResponse(
  ctx: SpContext,
  decoded: DecodedLogout,
  onCheck?: (report: CheckReport) => void,
): LogoutResponse {
  const { ctx: checked } = runCheckTable(
    logoutResponseChecks,
    (): ResponseChecks => ({ ctx, decoded }),
    onCheck,
  )
  return checked.response as LogoutResponse
}
