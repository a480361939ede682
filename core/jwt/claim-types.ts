import { SsoError } from '../errors/index.ts'

// RFC 7519 §4.1: `iss`, `sub` and `jti` are strings (StringOrURI, case-sensitive string), `aud`
// one string or an array of them. jose checks the NumericDates (`exp`, `nbf`, `iat`) itself.
const stringClaims = ['iss', 'sub', 'jti'] as const

/** The first registered claim of another JSON type than RFC 7519 gives it, if any. */
export function mistypedClaim(claims: Record<string, unknown>): string | undefined {
  for (const claim of stringClaims) {
    if (claims[claim] !== undefined && typeof claims[claim] !== 'string') return claim
  }
  const aud = claims.aud
  if (aud === undefined || typeof aud === 'string') return undefined
  return Array.isArray(aud) && aud.every((value) => typeof value === 'string') ? undefined : 'aud'
}

/** JWT_CLAIM_INVALID for a claim of the wrong type, naming the type found, never the value. */
export function claimTypeError(claims: Record<string, unknown>, claim: string, label: string) {
  const value = claims[claim]
  return new SsoError(
    'JWT_CLAIM_INVALID',
    claim,
    `the ${label}'s "${claim}" claim has the wrong type`,
    {
      claim,
      reason: 'type',
      expected: claim === 'aud' ? 'a string or an array of strings' : 'a string',
      received: Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value,
    },
  )
}
