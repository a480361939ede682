import { timingSafeEqual } from 'node:crypto'
import { newToken, type Random } from '../../core/random/index.ts'
import { tokenKey } from '../../core/store/token-key.ts'

/** An IdP session cookie as it is read: the session's row, and the secret that proves it. */
export interface SessionCookie {
  id: number
  secret: string
}

// The row id in decimal, a dot, then newToken's base64url secret (24 bytes, 32 characters).
const cookieShape = /^([1-9][0-9]{0,14})\.([A-Za-z0-9_-]{32})$/

/** A new secret and what the database keeps of it (its SHA-256: never the secret itself). */
export function newSessionSecret(random: Random): { secret: string; secretKey: string } {
  const secret = newToken(random)
  return { secret, secretKey: tokenKey(secret) }
}

export function formatSessionCookie(id: number, secret: string): string {
  return `${id}.${secret}`
}

/** The cookie's parts, or undefined when it is no session cookie of this shape (an older one). */
export function parseSessionCookie(cookie: string | undefined): SessionCookie | undefined {
  const match = cookie === undefined ? null : cookieShape.exec(cookie)
  if (!match) return undefined
  return { id: Number(match[1]), secret: match[2] as string }
}

/**
 * Whether the cookie's secret is the one whose digest the row keeps, compared in constant time:
 * the row id is no secret, so the comparison must not tell how much of the digest matched.
 */
export function secretMatches(cookie: SessionCookie, secretKey: string): boolean {
  const given = Buffer.from(tokenKey(cookie.secret))
  const kept = Buffer.from(secretKey)
  return given.length === kept.length && timingSafeEqual(given, kept)
}
