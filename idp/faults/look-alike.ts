import type { FaultOf } from './schema.ts'

/**
 * Catalogue item 33: an identifier a person cannot tell from another — white space or an
 * invisible character added to it. An SP that trims or ignores them signs the look-alike in as
 * the account it imitates.
 */
export const lookAlikeVariants = {
  'trailing-space': (id: string) => `${id} `,
  'leading-newline': (id: string) => `\n${id}`,
  nbsp: (id: string) => `${id}\u00a0`,
  'ideographic-space': (id: string) => `${id}\u3000`,
  bom: (id: string) => `\ufeff${id}`,
  'zero-width-space': (id: string) => `${id.slice(0, 1)}\u200b${id.slice(1)}`,
  'left-to-right-mark': (id: string) => `${id}\u200e`,
  'hangul-filler': (id: string) => `${id}\u3164`,
} as const

export type LookAlikeVariant = keyof typeof lookAlikeVariants

/** The identifier the fault sends: `of` (another user's, to imitate) or the user's own, altered. */
export function lookAlike(
  fault: FaultOf<'saml-nameid-look-alike' | 'jwt-subject-look-alike'>,
  own: string,
): string {
  return lookAlikeVariants[fault.variant](fault.of ?? own)
}
