import { createHash } from 'node:crypto'
import type { JWTPayload } from 'jose'

/**
 * What the replay cache remembers a sign-in token by: its `jti` under its issuer; without one,
 * the SHA-256 of what the IdP signed — the decoded header and claims — never the token's text
 * or its signature. Text has other spellings (base64url padding, unused bits: refused anyway,
 * core/jwt/canonical-base64url.ts) and an ECDSA signature has a twin: (r, n − s) verifies too,
 * so an ES256 token re-signed that way would pass as new under a key on the signature.
 */
export function tokenReplayKey(token: string, claims: JWTPayload, issuer: string): string {
  if (typeof claims.jti === 'string' && claims.jti !== '') return `JWT:${issuer}:${claims.jti}`
  const [header = '', payload = ''] = token.split('.')
  const hash = createHash('sha256')
  for (const part of [header, payload]) {
    const bytes = Buffer.from(part, 'base64url')
    hash.update(`${bytes.length}:`).update(bytes)
  }
  return `JWT-content:${hash.digest('base64url')}`
}
