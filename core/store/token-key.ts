import { hash } from 'node:crypto'

/**
 * How a bearer token (session or visitor cookie) is kept at rest: its SHA-256, so that a copy of
 * the database does not let anyone present the cookie. One-shot `crypto.hash`: it skips the Hash
 * object `createHash` builds, and this runs on every request that carries a cookie.
 */
export function tokenKey(token: string): string {
  return hash('sha256', token, 'base64url')
}
