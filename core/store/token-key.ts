import { createHash } from 'node:crypto'

/**
 * How a bearer token (session or visitor cookie) is kept at rest: its SHA-256, so that a copy of
 * the database does not let anyone present the cookie.
 */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}
