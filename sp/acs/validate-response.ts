import { firstChildElement, ns } from '../../core/xml/index.ts'
import { checkAuthnStatement } from './checks/check-authn-statement.ts'
import { checkConditions } from './checks/check-conditions.ts'
import { checkDestination } from './checks/check-destination.ts'
import { checkInResponseTo } from './checks/check-in-response-to.ts'
import { checkAssertionIssuer, checkResponseIssuer } from './checks/check-issuer.ts'
import { checkReplay } from './checks/check-replay.ts'
import { checkResponseShape } from './checks/check-response-shape.ts'
import { checkAssertionSignature, checkResponseSignature } from './checks/check-signatures.ts'
import { checkStatus } from './checks/check-status.ts'
import { checkSubject } from './checks/check-subject.ts'
import { selectAssertion } from './checks/select-assertion.ts'
import type { AcsCheck, AcsContext } from './context.ts'
import { readAttributes } from './read-attributes.ts'
import type { ResponseValidationSettings, ResponseValidationState } from './settings.ts'

/** The ACS's checks, in the order they run. The first failure ends validation. */
export const acsChecks: readonly (readonly [string, AcsCheck])[] = [
  ['Response', checkResponseShape],
  ['Signature (Response)', checkResponseSignature],
  ['Destination', checkDestination],
  ['Issuer (Response)', checkResponseIssuer],
  ['Status', checkStatus],
  ['Assertion', selectAssertion],
  ['Signature (Assertion)', checkAssertionSignature],
  ['Issuer (Assertion)', checkAssertionIssuer],
  ['Subject', checkSubject],
  ['Conditions', checkConditions],
  ['AuthnStatement', checkAuthnStatement],
  ['Replay', checkReplay],
  ['InResponseTo', checkInResponseTo],
]

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
}

/**
 * Validates a parsed samlp:Response. Throws the SsoError of the first failed check; changes no
 * state (the caller records the IDs as used only once it has accepted the sign-in).
 */
export function validateResponse(
  doc: Document,
  settings: ResponseValidationSettings,
  state: ResponseValidationState,
): ValidatedResponse {
  const ctx: AcsContext = {
    settings,
    state,
    now: state.clock.now(),
    response: doc.documentElement as Element,
    responseId: '',
    responseSigned:
      firstChildElement(doc.documentElement as Element, ns.ds, 'Signature') !== undefined,
  }
  for (const [, check] of acsChecks) check(ctx)
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
  }
}
