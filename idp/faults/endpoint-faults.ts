import { setTimeout as sleep } from 'node:timers/promises'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { IdpContext } from '../context.ts'
import { discoveryDocument } from '../oidc/discovery.ts'
import type { FaultTarget } from './fault-set.ts'

/** GET /.well-known/openid-configuration, its `issuer` another one under `oidc-discovery-issuer`. */
export function discoveryAnswer(ctx: IdpContext, c: Context) {
  const document = discoveryDocument(ctx)
  const fault = ctx.faults.take(['oidc-discovery-issuer'], {}).at(-1)
  if (!fault) return c.json(document)
  return c.json({ ...document, issuer: fault.value ?? 'https://other-idp.example' })
}

/**
 * GET /jwt/jwks.json and /oidc/jwks, answered as the `jwks` fault says (catalogue item 31): an
 * HTTP error, a body that is not JSON, or the key set after `delayMs` of real time (cut short
 * when the requester gives up).
 */
export async function jwksAnswer(ctx: IdpContext, c: Context) {
  const fault = ctx.faults.take(['jwks'], {}).at(-1)
  switch (fault?.answer) {
    case 'error':
      return c.json({ error: 'server_error' }, fault.status as ContentfulStatusCode)
    case 'malformed':
      return c.body('{"keys": [{"kty": "RSA", ', 200, { 'Content-Type': 'application/json' })
    case 'slow':
      await sleep(fault.delayMs, undefined, { signal: c.req.raw.signal }).catch(() => undefined)
      return c.json(await ctx.keys.jwks())
    default:
      return c.json(await ctx.keys.jwks())
  }
}

/** The userinfo claims, `sub` another user's under `oidc-userinfo-sub` (catalogue item 26). */
export function userinfoClaims<T extends Record<string, unknown>>(
  ctx: IdpContext,
  clientId: string,
  userId: string,
  claims: T,
): T {
  const fault = ctx.faults.take(['oidc-userinfo-sub'], { sp: clientId, user: userId }).at(-1)
  return fault ? { ...claims, sub: fault.value } : claims
}

/**
 * The `iss` of an authorization response (RFC 9207): another issuer's, or none, under
 * `oidc-authorization-iss` (a mix-up: the client must refuse an answer from another provider).
 */
export function authorizationResponseIss(
  ctx: IdpContext,
  issuer: string,
  target: FaultTarget,
): string | undefined {
  const fault = ctx.faults.take(['oidc-authorization-iss'], target).at(-1)
  if (!fault) return issuer
  return fault.answer === 'missing' ? undefined : (fault.value ?? 'https://other-idp.example')
}

/**
 * The `state` end_session sends back (RP-Initiated Logout §3): another one or none under
 * `oidc-end-session-state`; the client must neither trust nor need it.
 */
export function endSessionState(
  ctx: IdpContext,
  state: string | undefined,
  target: FaultTarget,
): string | undefined {
  const fault = ctx.faults.take(['oidc-end-session-state'], target).at(-1)
  if (!fault || state === undefined) return state
  return fault.answer === 'missing' ? undefined : 'another-state'
}
