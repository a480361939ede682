import type { Element } from '@xmldom/xmldom'
import type { CheckNotes } from '../../core/checks/run-check-table.ts'
import type { NameIdQualifiers } from '../../core/saml/logout.ts'
import type { ResponseValidationSettings, ResponseValidationState } from './settings.ts'

/** What the checks learn as they go; each check reads what the ones before it set. */
export interface AcsContext extends CheckNotes {
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
  /** The AuthnContextClassRef the IdP stated. */
  authnContext?: string | undefined
  /** The latest instant until which the assertion could be accepted; replay entries live this long. */
  notOnOrAfter?: number
}

export type AcsCheck = (ctx: AcsContext) => void
