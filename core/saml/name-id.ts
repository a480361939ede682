import { nameIdFormats } from './constants.ts'

/**
 * A NameID's qualifiers (saml-core §2.2.2). A LogoutRequest names the principal with the NameID
 * exactly as the assertion carried it, qualifiers included (saml-core §3.3.4's matching rules):
 * Lasso, for one, finds no session otherwise.
 */
export interface NameIdQualifiers {
  nameQualifier?: string | undefined
  spNameQualifier?: string | undefined
  spProvidedId?: string | undefined
}

/** saml-core §2.2.2 / §8.3.1: a NameID without Format is `unspecified`; value and format must agree. */
export function sameNameId(
  a: { nameId: string; nameIdFormat: string | undefined },
  b: { nameId: string; nameIdFormat: string | undefined },
): boolean {
  const format = (value: string | undefined) => value ?? nameIdFormats.unspecified
  return a.nameId === b.nameId && format(a.nameIdFormat) === format(b.nameIdFormat)
}
