import { type Finding, SsoError } from '../../core/errors/index.ts'
import { firstChildElement, ns } from '../../core/xml/index.ts'
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
import type { AcsCheck, AcsContext } from './context.ts'
import { readAttributes } from './read-attributes.ts'
import type { ResponseValidationSettings, ResponseValidationState } from './settings.ts'

/** The ACS's checks, in the order they run, with what each enforces. The first failure ends validation. */
export const acsChecks: readonly (readonly [string, AcsCheck, string])[] = [
  // Cheap first (catalogue case 38): structure and the SP's own state decide before any
  // canonicalization, digest or decryption runs.
  ['Response', checkResponseShape, 'samlp:Response, Version 2.0, with ID and IssueInstant'],
  ['Destination', checkDestination, 'the ACS URL; required when the Response is signed'],
  ['Issuer (Response)', checkResponseIssuer, 'absent, or the IdP entity ID'],
  ['Replay (Response)', checkResponseReplay, 'the Response ID not used before'],
  [
    'Pending request',
    checkPendingRequest,
    'this browser started a sign-in, or unsolicited Responses are allowed',
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
  ['Replay (Assertion)', checkAssertionReplay, 'the Assertion ID not used before'],
  [
    'InResponseTo',
    checkInResponseTo,
    'a pending AuthnRequest of this browser, named in the signed SubjectConfirmationData; unsolicited only when allowed and none is pending',
  ],
]

/** How one check of a validation ended; `not-reached` follows a failure. */
export type CheckOutcome = 'pass' | 'warning' | 'fail' | 'not-checked' | 'not-reached'

export interface CheckReport {
  check: string
  /** What the check enforces, in a few words. */
  enforces: string
  outcome: CheckOutcome
  /** The failure (outcome `fail`). */
  failure?: Finding
  /** Why there was nothing to check against (outcome `not-checked`). */
  notChecked?: string
  /** What the check let through under an allowance; outcome `warning` unless it failed anyway. */
  warnings: Finding[]
}

export interface ValidatedResponse {
  responseId: string
  assertionId: string
  issuer: string
  inResponseTo: string | undefined
  nameId: string
  nameIdFormat: string | undefined
  sessionIndex: string | undefined
  attributes: Record<string, string[]>
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
  onCheck?: (report: CheckReport) => void,
): ValidatedResponse {
  const warnings: Finding[] = []
  let current: { warnings: Finding[]; notChecked?: string } = { warnings: [] }
  const ctx: AcsContext = {
    settings,
    state,
    now: state.clock.now(),
    response: doc.documentElement as Element,
    responseId: '',
    responseSigned:
      firstChildElement(doc.documentElement as Element, ns.ds, 'Signature') !== undefined,
    warn: (warning) => {
      current.warnings.push(warning)
      warnings.push(warning)
    },
    notChecked: (reason) => {
      current.notChecked = reason
    },
  }
  for (const [index, [check, run, enforces]] of acsChecks.entries()) {
    current = { warnings: [] }
    try {
      run(ctx)
    } catch (error) {
      if (error instanceof SsoError && onCheck) {
        onCheck({ check, enforces, outcome: 'fail', failure: error.toFinding(), ...current })
        for (const [later, , laterEnforces] of acsChecks.slice(index + 1)) {
          onCheck({ check: later, enforces: laterEnforces, outcome: 'not-reached', warnings: [] })
        }
      }
      throw error
    }
    const outcome =
      current.notChecked !== undefined
        ? 'not-checked'
        : current.warnings.length > 0
          ? 'warning'
          : 'pass'
    onCheck?.({ check, enforces, outcome, ...current })
  }
  return {
    responseId: ctx.responseId,
    assertionId: ctx.assertionId as string,
    issuer: settings.idpEntityId,
    inResponseTo: ctx.inResponseTo,
    nameId: ctx.nameId as string,
    nameIdFormat: ctx.nameIdFormat,
    sessionIndex: ctx.sessionIndex,
    attributes: readAttributes(ctx.assertion as Element),
    signatureAlgorithm: ctx.signatureAlgorithm,
    notOnOrAfter: (ctx.notOnOrAfter ?? ctx.now) + settings.clockSkewMs,
    warnings,
  }
}
