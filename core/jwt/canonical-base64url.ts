import { SsoError } from '../errors/index.ts'

const segmentNames = ['header', 'payload', 'signature'] as const

/**
 * RFC 7515 §2 and §7.1: each part of a compact JWS is base64url without padding, and RFC 4648
 * §3.5 leaves the unused bits of the last character zero. Decoders (jose among them) accept
 * `=` padding and stray bits, so one token has many spellings; a verifier that remembers tokens
 * by their text (replay) would take each for a new one. Only the canonical spelling is
 * accepted: the one encoding the decoded bytes back gives.
 */
export function checkCanonicalBase64url(token: string, label: string): void {
  const parts = token.split('.')
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

function nonCanonical(part: string): string | undefined {
  if (part.includes('=')) return 'padding'
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return 'a character outside the base64url alphabet'
  if (Buffer.from(part, 'base64url').toString('base64url') !== part) return 'unused bits set'
  return undefined
}
