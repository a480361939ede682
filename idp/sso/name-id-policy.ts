import { nameIdFormats } from '../../core/saml/constants.ts'
import type { NameIdFormatName } from '../response/name-id.ts'
import type { SpRegistration } from '../service-providers/registration.ts'

export type NameIdChoice =
  | { kind: 'format'; format: NameIdFormatName; requested: boolean }
  /** saml-core §3.4.1.1: a format the IdP cannot or may not give this SP: InvalidNameIDPolicy. */
  | { kind: 'invalid'; requested: string }

/**
 * NameIDPolicy/@Format (saml-core §3.4.1.1): absent or unspecified, the SP's registered format;
 * otherwise the format asked for when this IdP knows it and the SP's registration allows it
 * (its `nameIdFormats`, from the NameIDFormat elements of its metadata, plus `nameIdFormat`).
 */
export function chooseNameIdFormat(
  requested: string | undefined,
  sp: SpRegistration,
): NameIdChoice {
  if (requested === undefined || requested === nameIdFormats.unspecified) {
    return { kind: 'format', format: sp.nameIdFormat, requested: false }
  }
  const entry = Object.entries(nameIdFormats).find(([, uri]) => uri === requested)
  const name = entry?.[0] as NameIdFormatName | undefined
  const allowed = sp.nameIdFormats ?? Object.keys(nameIdFormats)
  if (name === undefined || !(name === sp.nameIdFormat || allowed.includes(name))) {
    return { kind: 'invalid', requested }
  }
  return { kind: 'format', format: name, requested: true }
}
