import type { Finding } from '../../core/errors/index.ts'
import type { NameIdQualifiers } from '../../core/saml/logout.ts'
import type { ResponseValidationSettings, ResponseValidationState } from './settings.ts'

/** What the checks learn as they go; each check reads what the ones before it set. */
export interface AcsContext {
  settings: ResponseValidationSettings
  state: ResponseValidationState
  now: number
  response: Element
  responseId: string
  responseSigned: boolean
  assertion?: Element
  assertionId?: string
  assertionSigned?: boolean
  signatureAlgorithm?: string
  inResponseTo?: string | undefined
  nameId?: string
  nameIdFormat?: string | undefined
  /** NameQualifier, SPNameQualifier, SPProvidedID as asserted: logout echoes them. */
  nameIdQualifiers?: NameIdQualifiers
  sessionIndex?: string | undefined
  /** The latest instant until which the assertion could be accepted; replay entries live this long. */
  notOnOrAfter?: number
  /** Records something the running check let through under an allowance (legacy crypto, …). */
  warn(warning: Finding): void
  /** Records that the running check had nothing to check against (offline: no request, no cache). */
  notChecked(reason: string): void
}

export type AcsCheck = (ctx: AcsContext) => void
