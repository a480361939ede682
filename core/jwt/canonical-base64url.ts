import { SsoError } from '../errors/index.ts'

const segmentNames = ['header', 'payload', 'signature'] as const

/**
 * RFC 7515 §2 and §7.1: each part of a compact JWS is base64url without padding, and RFC 4648
 * §3.5 leaves the unused bits of the last character zero. Decoders (jose among them) accept
 * `=` padding and stray bits, so one token has many spellings; a verifier that remembers tokens
 * by their text (replay) would take each for a new one. Only the canonical spelling is
 * accepted: the one encoding the decoded bytes back gives.
 */
export function checkCanonicalBase64url(
  token: string,
  label: string,
  parts: readonly string[] = token.split('.'),
): void {
  for (const [index, part] of parts.entries()) {
    const reason = nonCanonical(part)
    if (reason === undefined) continue
    throw new SsoError(
      'JWT_BASE64URL_NON_CANONICAL',
      'Encoding',
      `the ${label}'s ${segmentNames[index] ?? 'part'} is not in canonical base64url`,
      { segment: segmentNames[index] ?? index, reason },
    )
  }
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

// RFC 4648 §4: a last group of 2 characters carries 1 byte (4 bits left over), of 3 characters
// 2 bytes (2 bits left over); a group of 1 character carries no whole byte (its 6 bits unused,
// whatever they are: such a part decodes to fewer characters' worth and never encodes back).
const unusedBitMasks = [0, 0, 0x0f, 0x03] as const

function nonCanonical(part: string): string | undefined {
  if (part.includes('=')) return 'padding'
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return 'a character outside the base64url alphabet'
  // Only the last character can hold unused bits: reading its value settles it without
  // decoding the part (a signature is hundreds of characters).
  if (part.length % 4 === 1) return 'unused bits set'
  const mask = unusedBitMasks[part.length % 4] ?? 0
  if ((alphabet.indexOf(part.at(-1) ?? 'A') & mask) !== 0) return 'unused bits set'
  return undefined
}
