import { createHash, timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { SsoError } from '../../errors/index.ts'

/**
 * With an admin token set (a server on a non-loopback address must have one), every admin call
 * carries `Authorization: Bearer <token>` (RFC 6750 §2.1). Compared as SHA-256 digests in
 * constant time; the token never reaches an error, a log line or evidence.
 */
export function checkAdminToken(c: Context, token: string | undefined): void {
  if (token === undefined) return
  const header = c.req.header('authorization') ?? ''
  const sent = /^Bearer +([\x21-\x7e]+) *$/i.exec(header)?.[1]
  if (sent !== undefined && sameSecret(sent, token)) return
  c.header('WWW-Authenticate', 'Bearer realm="ssoproof admin"')
  throw new SsoError('ADMIN_TOKEN_REQUIRED', 'Authorization', 'admin calls need the admin token', {
    authorization:
      header === '' ? 'absent' : sent === undefined ? 'not a Bearer token' : 'another token',
  })
}

/** Whether two secrets are equal: their SHA-256 digests compared in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(a), digest(b))
}

const methodsWithBody = new Set(['POST', 'PUT', 'PATCH'])

/** JSON, and SCIM's own JSON type (RFC 7644 §8.1): neither can a page of another site send unasked. */
const jsonTypes = new Set(['application/json', 'application/scim+json'])

/**
 * Admin bodies are JSON only. `text/plain`, forms and multipart are what a page of another site
 * can send without asking (no CORS preflight); `application/json` it cannot.
 */
export function checkJsonBody(c: Context): void {
  if (!methodsWithBody.has(c.req.method)) return
  const type = c.req.header('content-type')
  if (jsonTypes.has(type?.split(';')[0]?.trim().toLowerCase() ?? '')) return
  throw new SsoError('ADMIN_JSON_REQUIRED', 'Content-Type', 'admin calls send JSON bodies only', {
    contentType: type === undefined ? 'absent' : type.slice(0, 100),
  })
}
