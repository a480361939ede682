import { SsoError } from '../../core/errors/index.ts'

/**
 * Characters a person cannot see or tell from a space: control (Cc), format (Cf: zero-width
 * space and joiners, BOM, bidi controls, soft hyphen), private use (Co), lone surrogates (Cs),
 * unassigned code points and noncharacters (Cn: a blank box, or nothing, until Unicode names them),
 * Unicode's default-ignorable code points (variation selectors, Hangul fillers, combining
 * grapheme joiner), line and paragraph separators, the braille blank, and every white space
 * but the plain space (NBSP, ideographic space U+3000, the en/em/thin spaces…).
 */
const invisible =
  /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}\p{Default_Ignorable_Code_Point}\p{Zl}\p{Zp}\u2800]|(?! )\p{White_Space}/u

/** White space at either end, the plain space too. */
const outerSpace = /^\p{White_Space}|\p{White_Space}$/u

/**
 * Why `value` could pass for another identifier, or undefined when it could not: an identifier
 * that becomes an account key (SAML NameID, JWT/OIDC `sub` and `id`, an agent's `loginName` or
 * `siteId`) is compared exactly (saml-core §2.2.2: a NameID is an xs:string) — never trimmed,
 * never folded — so `carol\u3000` must not arrive at all rather than be taken for `carol`.
 */
export function lookAlikeReason(value: string): string | undefined {
  if (outerSpace.test(value)) return 'white space at its start or end'
  if (invisible.test(value)) return 'an invisible or control character'
  return undefined
}

/** Refuses a look-alike identifier (IDENTIFIER_LOOK_ALIKE), naming it escaped, never as it is. */
export function requireExactIdentifier(value: string, check: string): void {
  const reason = lookAlikeReason(value)
  if (reason === undefined) return
  throw new SsoError(
    'IDENTIFIER_LOOK_ALIKE',
    check,
    `the ${check} has ${reason}: identifiers are compared exactly, never trimmed`,
    { value: escapeInvisible(value.slice(0, 256)) },
  )
}

/**
 * The identifier as a person can read it: each invisible character, and white space at either
 * end, as `\uXXXX` (`carol\u3000`, `\ufeffcarol`, `carol\u0020`).
 */
export function escapeInvisible(value: string): string {
  const characters = [...value]
  return characters
    .map((character, index) => {
      const outer =
        (index === 0 || index === characters.length - 1) && /\p{White_Space}/u.test(character)
      return outer || invisible.test(character) ? codePoint(character) : character
    })
    .join('')
}

function codePoint(character: string): string {
  const code = character.codePointAt(0) ?? 0
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * A decoded message as a person can read it: its layout (line breaks, tabs, spaces) kept, every
 * other invisible character escaped, so a look-alike NameID shows as `carol\u3000` there too.
 */
export function escapeInvisibleInText(text: string): string {
  return [...text]
    .map((character) =>
      !layout.has(character) && invisible.test(character) ? codePoint(character) : character,
    )
    .join('')
}

const layout = new Set(['\n', '\r', '\t', ' '])
