import type { RequestedContext } from '../../core/authn-context/requested-context.ts'
import { SsoError } from '../../core/errors/index.ts'
import type { JwsAlgorithm } from '../../core/jwt/algorithms.ts'
import { checkAuthorizedParty } from '../../core/jwt/authorized-party.ts'
import type { VerificationKeys } from '../../core/jwt/verification-keys.ts'
import { type VerifiedJwt, verifyJwt } from '../../core/jwt/verify.ts'
import type { SpContext } from '../context.ts'
import { checkAuthnContext, tokenAuthnContext } from '../login/check-authn-context.ts'
import type { ReplayCache } from '../session/replay-cache.ts'
import type { SignedInSubject } from '../session/sp-sessions.ts'
import { withStandardNames } from './claim-names.ts'
import { tokenReplayKey } from './replay-key.ts'
import type { ResolvedSpJwtSettings } from './settings.ts'
import { subjectFromClaims } from './subject-from-claims.ts'

export interface AcceptedToken extends VerifiedJwt {
  subject: SignedInSubject
  /** The replay cache key (the jti, or the signed content's hash when it has none) and until when. */
  replayKey: string
  keepUntil: number
}

/** What a sign-in token is checked against: the JWT settings, with the skew resolved. */
export interface TokenValidationSettings {
  algorithms: readonly JwsAlgorithm[]
  issuer?: string | undefined
  audience?: string | undefined
  clockSkewMs: number
  maxTokenBytes: number
  /** Standard claim name → the IdP's name for it (settings.ts `claimNames`). */
  claimNames?: Record<string, string> | undefined
  /** The campaign's or agent site's required context: the token's `acr` must meet it. */
  requiredAuthnContext?: RequestedContext | undefined
}

/** What a token is bound to beyond its settings; offline (`ssoproof check`) there is no replay cache. */
export interface TokenValidationState {
  keys: VerificationKeys
  now: number
  replay: ReplayCache | null
}

/**
 * /jwt/callback's checks on a sign-in JWT (see verifySignInToken), with the SP's keys, clock
 * and replay cache. Nothing is stored here: the caller records the replay key once the session
 * starts.
 */
export async function validateToken(
  ctx: SpContext,
  settings: ResolvedSpJwtSettings,
  token: string,
): Promise<AcceptedToken> {
  const { options } = ctx
  return verifySignInToken(
    token,
    {
      algorithms: settings.algorithms,
      issuer: settings.issuer,
      audience: settings.audience,
      clockSkewMs: settings.clockSkewMs ?? options.clockSkewMs,
      maxTokenBytes: settings.maxTokenBytes,
      claimNames: settings.claimNames,
      requiredAuthnContext: ctx.campaign.authnContext,
    },
    { keys: ctx.jwtKeys ?? {}, now: options.clock.now(), replay: ctx.replay },
  )
}

/**
 * The SP's checks on a sign-in JWT, in order: everything core/jwt/verify.ts checks (size, alg
 * allow-list bound to the key type, no header keys, no crit, signature, iss, aud, exp required,
 * nbf, iat with skew); then `acr` against a required context; then a user (`id` or `sub`);
 * then the replay cache, when there is one.
 */
export async function verifySignInToken(
  token: string,
  settings: TokenValidationSettings,
  state: TokenValidationState,
): Promise<AcceptedToken> {
  const { header, claims } = await verifyJwt(token, {
    algorithms: settings.algorithms,
    keys: state.keys,
    ...(settings.issuer !== undefined ? { issuer: settings.issuer } : {}),
    ...(settings.audience !== undefined ? { audience: settings.audience } : {}),
    clockSkewMs: settings.clockSkewMs,
    now: state.now,
    maxBytes: settings.maxTokenBytes,
  })
  if (settings.audience !== undefined) {
    checkAuthorizedParty(claims, settings.audience, 'JWT_AZP_MISMATCH', 'token')
  }
  const issuer = typeof claims.iss === 'string' ? claims.iss : (settings.issuer ?? 'JWT (no iss)')
  const stated = tokenAuthnContext(claims, settings.requiredAuthnContext)
  checkAuthnContext(settings.requiredAuthnContext, stated, 'acr')
  const subject = {
    ...subjectFromClaims(withStandardNames(claims, settings.claimNames ?? {}), issuer),
    authnContext: stated,
  }
  const replayKey = tokenReplayKey(token, claims, issuer)
  if (state.replay?.has(replayKey)) {
    throw new SsoError('JWT_REPLAY', 'jti', 'this token was already used to sign in', {
      jti: typeof claims.jti === 'string' ? claims.jti.slice(0, 100) : null,
    })
  }
  // verifyJwt requires exp, so it is a number here.
  return {
    header,
    claims,
    subject,
    replayKey,
    keepUntil: (claims.exp ?? 0) * 1000 + settings.clockSkewMs,
  }
}
