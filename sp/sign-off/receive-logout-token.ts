import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { checkLogoutTokenClaims } from '../../core/jwt/logout-token.ts'
import type { VerifiedJwt } from '../../core/jwt/verify.ts'
import type { SpContext } from '../context.ts'

/** How long a logout token's jti is remembered when it names no expiry. */
const replayWindowMs = 10 * 60_000

export interface LogoutTokenEndpoint {
  /** `back-channel logout` or `JWT sign-off`, for the log. */
  name: string
  /** The signature, iss, aud and iat checks, with this connection's keys (JWT_* errors). */
  verify(token: string): Promise<VerifiedJwt>
  /** The issuer the SP's sessions from this IdP were opened under, when the token names none. */
  issuer: string
  sidRequired: boolean
}

/**
 * A logout token POSTed by the IdP (OIDC Back-Channel Logout 1.0 §2.5–2.8; ssoproof's JWT
 * sign-off takes the same token), checked in order:
 *   1. a form body with `logout_token`                                   LOGOUT_TOKEN_MISSING
 *   2. signature, alg, iss, aud, iat and exp (the connection's checks)   JWT_*
 *   3. typ, events, sub or sid, no nonce, a jti (core/jwt/logout-token.ts)  LOGOUT_TOKEN_*
 *   4. the jti not seen before                                            LOGOUT_TOKEN_REPLAY
 * Then the sessions it names end — every session of this issuer with that sub and/or sid — and
 * the answer is 200 (also when none was left: the visitor may have signed out here first). A
 * refusal is 400 with OAuth's error JSON (§2.8); nothing ends.
 */
export async function receiveLogoutToken(
  ctx: SpContext,
  c: Context,
  endpoint: LogoutTokenEndpoint,
) {
  const { options } = ctx
  c.header('Cache-Control', 'no-store')
  try {
    const token = await logoutTokenOf(c)
    const { header, claims } = await endpoint.verify(token)
    const { sub, sid, jti } = checkLogoutTokenClaims(header, claims, {
      sidRequired: endpoint.sidRequired,
    })
    // The connection checked iss where it knows its issuer; else the token's own is the issuer.
    const issuer = typeof claims.iss === 'string' ? claims.iss : endpoint.issuer
    const replayKey = `logout:${issuer}:${jti}`
    if (ctx.replay.has(replayKey)) {
      throw new SsoError('LOGOUT_TOKEN_REPLAY', 'jti', 'this logout token was already received', {
        jti: jti.slice(0, 100),
      })
    }
    const until =
      typeof claims.exp === 'number'
        ? claims.exp * 1000 + options.clockSkewMs
        : options.clock.now() + replayWindowMs
    ctx.replay.add(replayKey, until)
    const ended = ctx.sessions.endByIdpSession({ issuer, sub, sid })
    options.log(`SP ${endpoint.name}: ${ended.length} session(s) ended`)
    return c.json({ sessionsEnded: ended.length }, 200)
  } catch (error) {
    if (!(error instanceof SsoError)) throw error
    options.log(`SP ${endpoint.name} refused: ${error.code}`)
    return c.json(
      { error: 'invalid_request', error_description: `${error.code}: ${error.reason}` },
      400,
    )
  }
}

async function logoutTokenOf(c: Context): Promise<string> {
  const type = c.req.header('content-type') ?? ''
  const form = type.toLowerCase().startsWith('application/x-www-form-urlencoded')
    ? await c.req.parseBody()
    : {}
  const token = form.logout_token
  if (typeof token !== 'string' || token === '') {
    throw new SsoError(
      'LOGOUT_TOKEN_MISSING',
      'logout_token',
      'the request carries no logout_token form field',
      {},
    )
  }
  return token
}
