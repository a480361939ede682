import type { JWTPayload, ProtectedHeaderParameters } from 'jose'
import { SsoError } from '../errors/index.ts'

/** OIDC Back-Channel Logout 1.0 §2.4: the event a logout token's `events` claim must name. */
export const backChannelLogoutEvent = 'http://schemas.openid.net/event/backchannel-logout'

/** §2.4: the `typ` a logout token is explicitly typed with. */
export const logoutTokenType = 'logout+jwt'

/** The claims of a logout token the checks below look at. */
export interface LogoutTokenClaims {
  sub: string | undefined
  sid: string | undefined
  jti: string
}

/**
 * The logout token checks that follow the signature, iss, aud and iat (Back-Channel Logout §2.6
 * steps 3–6), in order; ssoproof uses the same token for JWT token SSO's sign-off:
 *   1. `typ`, when present, is logout+jwt (or the generic JWT): not an ID token or access token   LOGOUT_TOKEN_TYPE_INVALID
 *   2. `events` holds the back-channel logout event, as an object                               LOGOUT_TOKEN_EVENTS_INVALID
 *   3. `sub` or `sid` (strings), at least one; `sid` required where the client asked for it        LOGOUT_TOKEN_SUBJECT_MISSING
 *   4. no `nonce`: a token with one could be an ID token sent as a logout token                 LOGOUT_TOKEN_NONCE_FORBIDDEN
 *   5. a `jti`, so a replay can be recognised                                                  LOGOUT_TOKEN_REPLAY
 */
export function checkLogoutTokenClaims(
  header: ProtectedHeaderParameters,
  claims: JWTPayload,
  options: { sidRequired?: boolean } = {},
): LogoutTokenClaims {
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : undefined
  if (typ !== undefined && typ !== logoutTokenType && typ !== 'jwt') {
    throw new SsoError(
      'LOGOUT_TOKEN_TYPE_INVALID',
      'typ',
      'the token is typed as something else than a logout token',
      {
        typ: typ.slice(0, 40),
      },
    )
  }
  const events = claims.events
  const event =
    typeof events === 'object' && events !== null && !Array.isArray(events)
      ? (events as Record<string, unknown>)[backChannelLogoutEvent]
      : undefined
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new SsoError(
      'LOGOUT_TOKEN_EVENTS_INVALID',
      'events',
      'the token does not carry the back-channel logout event',
      {
        present: events !== undefined,
      },
    )
  }
  const sub = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : undefined
  const sid = typeof claims.sid === 'string' && claims.sid !== '' ? claims.sid : undefined
  if (
    (sub === undefined && sid === undefined) ||
    (options.sidRequired === true && sid === undefined)
  ) {
    throw new SsoError(
      'LOGOUT_TOKEN_SUBJECT_MISSING',
      'sub',
      options.sidRequired
        ? 'the token names no session (sid)'
        : 'the token names neither a subject (sub) nor a session (sid)',
      {},
    )
  }
  if (claims.nonce !== undefined) {
    throw new SsoError(
      'LOGOUT_TOKEN_NONCE_FORBIDDEN',
      'nonce',
      'a logout token must not carry a nonce',
      {},
    )
  }
  if (typeof claims.jti !== 'string' || claims.jti === '') {
    throw new SsoError(
      'LOGOUT_TOKEN_REPLAY',
      'jti',
      'the token has no jti, so a replay could not be told apart',
      {},
    )
  }
  return { sub, sid, jti: claims.jti }
}
