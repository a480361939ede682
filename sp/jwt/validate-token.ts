import { createHash } from 'node:crypto'
import { SsoError } from '../../core/errors/index.ts'
import { verifyJwt } from '../../core/jwt/verify.ts'
import type { SpContext } from '../context.ts'
import type { SignedInSubject } from '../session/sp-sessions.ts'
import type { ResolvedSpJwtSettings } from './settings.ts'
import { subjectFromClaims } from './subject-from-claims.ts'

export interface AcceptedToken {
  subject: SignedInSubject
  /** The replay cache key (the jti, or the token's hash when it has none) and until when. */
  replayKey: string
  keepUntil: number
}

/**
 * The SP's checks on a sign-in JWT, in order: everything core/jwt/verify.ts checks (size, alg
 * allow-list bound to the key type, no header keys, no crit, signature, iss, aud, exp required,
 * nbf, iat with skew); then a user (`id` or `sub`); then the replay cache. Nothing is stored
 * here: the caller records the replay key once the session starts.
 */
export async function validateToken(
  ctx: SpContext,
  settings: ResolvedSpJwtSettings,
  token: string,
): Promise<AcceptedToken> {
  const { options } = ctx
  const clockSkewMs = settings.clockSkewMs ?? options.clockSkewMs
  const { claims } = await verifyJwt(token, {
    algorithms: settings.algorithms,
    keys: ctx.jwtKeys ?? {},
    ...(settings.issuer !== undefined ? { issuer: settings.issuer } : {}),
    ...(settings.audience !== undefined ? { audience: settings.audience } : {}),
    clockSkewMs,
    now: options.clock.now(),
    maxBytes: settings.maxTokenBytes,
  })
  const issuer = typeof claims.iss === 'string' ? claims.iss : (settings.issuer ?? 'JWT (no iss)')
  const subject = subjectFromClaims(claims, issuer)
  const replayKey =
    typeof claims.jti === 'string' && claims.jti !== ''
      ? `JWT:${issuer}:${claims.jti}`
      : `JWT-hash:${createHash('sha256').update(token).digest('base64url')}`
  if (ctx.replay.has(replayKey)) {
    throw new SsoError('JWT_REPLAY', 'jti', 'this token was already used to sign in', {
      jti: typeof claims.jti === 'string' ? claims.jti.slice(0, 100) : null,
    })
  }
  // verifyJwt requires exp, so it is a number here.
  return { subject, replayKey, keepUntil: (claims.exp ?? 0) * 1000 + clockSkewMs }
}
