import type { Document } from '@xmldom/xmldom'
import { fromEarlier } from '../../core/checks/from-earlier.ts'
import {
  type CheckReport,
  type CheckTable,
  runCheckTable,
} from '../../core/checks/run-check-table.ts'
import type { Finding } from '../../core/errors/index.ts'
import type { NameIdQualifiers } from '../../core/saml/logout.ts'
import { firstChildElement, ns, rootElement } from '../../core/xml/index.ts'
import { checkAuthnContext } from './checks/check-authn-context.ts'
import { checkAuthnStatement } from './checks/check-authn-statement.ts'
import { checkConditions } from './checks/check-conditions.ts'
import { checkDestination } from './checks/check-destination.ts'
import { checkInResponseTo } from './checks/check-in-response-to.ts'
import { checkIssueInstant } from './checks/check-issue-instant.ts'
import { checkAssertionIssuer, checkResponseIssuer } from './checks/check-issuer.ts'
import { checkPendingRequest } from './checks/check-pending-request.ts'
import { checkAssertionReplay, checkResponseReplay } from './checks/check-replay.ts'
import { checkResponseShape } from './checks/check-response-shape.ts'
import { checkAssertionSignature, checkResponseSignature } from './checks/check-signatures.ts'
import { checkStatus } from './checks/check-status.ts'
import { checkSubject } from './checks/check-subject.ts'
import { selectAssertion } from './checks/select-assertion.ts'
import type { AcsContext } from './context.ts'
import { readAttributes, readFriendlyNames } from './read-attributes.ts'
import type { ResponseValidationSettings, ResponseValidationState } from './settings.ts'

/** The ACS's checks, in the order they run, with what each enforces. The first failure ends validation. */
export const acsChecks: CheckTable<AcsContext> = [
  // Cheap first (catalogue case 38): structure and the SP's own state decide before any
  // canonicalization, digest or decryption runs.
  ['Response', checkResponseShape, 'samlp:Response, Version 2.0, with ID and IssueInstant'],
  ['Destination', checkDestination, 'the ACS URL; required when the Response is signed'],
  ['Issuer (Response)', checkResponseIssuer, 'absent, or the IdP entity ID'],
  ['Replay (Response)', checkResponseReplay, 'the Response ID not used before'],
  [
    'Pending request',
    checkPendingRequest,
    'a Response answering no request only to a browser that started a sign-in, or where unsolicited ones are allowed',
  ],
  ['Status', checkStatus, 'top-level Success'],
  [
    'Signature (Response)',
    checkResponseSignature,
    'valid with the IdP certificate, or absent when not wanted',
  ],
  ['Assertion', selectAssertion, 'exactly one, a direct child of the Response; decrypted'],
  ['Issuer (Assertion)', checkAssertionIssuer, 'the IdP entity ID'],
  ['Signature (Assertion)', checkAssertionSignature, 'valid, or covered by the Response signature'],
  [
    'Subject',
    checkSubject,
    'a NameID (or EncryptedID); a bearer confirmation for this ACS, in time',
  ],
  [
    'Conditions',
    checkConditions,
    'NotBefore ≤ now < NotOnOrAfter, with skew; the Audience is this SP',
  ],
  ['IssueInstant', checkIssueInstant, 'Response and Assertion not issued ahead of now, with skew'],
  ['AuthnStatement', checkAuthnStatement, 'present; SessionNotOnOrAfter not passed'],
  [
    'AuthnContext',
    checkAuthnContext,
    'the AuthnContextClassRef meets the required context, where one is required',
  ],
  ['Replay (Assertion)', checkAssertionReplay, 'the Assertion ID not used before'],
  [
    'InResponseTo',
    checkInResponseTo,
    'a pending AuthnRequest of this browser, named in the signed SubjectConfirmationData; unsolicited only when allowed and none is pending',
  ],
]

export type { CheckOutcome, CheckReport } from '../../core/checks/run-check-table.ts'

export interface ValidatedResponse {
  responseId: string
  assertionId: string
  issuer: string
  inResponseTo: string | undefined
  nameId: string
  nameIdFormat: string | undefined
  nameIdQualifiers: NameIdQualifiers
  sessionIndex: string | undefined
  /** The AuthnContextClassRef the IdP stated. */
  authnContext: string | undefined
  attributes: Record<string, string[]>
  /** Attribute Name → FriendlyName, where given. */
  friendlyNames: Record<string, string>
  signatureAlgorithm: string | undefined
  /** Until when the IDs must stay in the replay cache. */
  notOnOrAfter: number
  /** What the allowances let through (legacy crypto, certificate validity) and AES-CBC content. */
  warnings: Finding[]
}

/**
 * Validates a parsed samlp:Response. Throws the SsoError of the first failed check; changes no
 * state (the caller records the IDs as used only once it has accepted the sign-in). `onCheck`
 * hears every check in order, those after a failure as `not-reached` (`ssoproof check`).
 */
export function validateResponse(
  doc: Document,
  settings: ResponseValidationSettings,
  state: ResponseValidationState,
  onCheck?: (report: CheckReport, ctx: Readonly<AcsContext>) => void,
): ValidatedResponse {
  const { ctx, warnings } = runCheckTable(
    acsChecks,
    (notes): AcsContext => ({
      settings,
      state,
      now: state.clock.now(),
      response: rootElement(doc),
      responseId: '',
      responseSigned: firstChildElement(rootElement(doc), ns.ds, 'Signature') !== undefined,
      ...notes,
    }),
    onCheck,
  )
  return {
    responseId: ctx.responseId,
    assertionId: ctx.assertionId as string,
    issuer: settings.idpEntityId,
    inResponseTo: ctx.inResponseTo,
    nameId: ctx.nameId as string,
    nameIdFormat: ctx.nameIdFormat,
    nameIdQualifiers: ctx.nameIdQualifiers ?? {},
    sessionIndex: ctx.sessionIndex,
    authnContext: ctx.authnContext,
    attributes: readAttributes(fromEarlier(ctx.assertion, 'the Assertion')),
    friendlyNames: readFriendlyNames(fromEarlier(ctx.assertion, 'the Assertion')),
    signatureAlgorithm: ctx.signatureAlgorithm,
    notOnOrAfter: (ctx.notOnOrAfter ?? ctx.now) + settings.clockSkewMs,
    warnings,
  }
}
