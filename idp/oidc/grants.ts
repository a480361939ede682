import { createExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Clock } from '../../core/clock/index.ts'
import type { PkceMethod } from '../../core/jwt/pkce.ts'
import { newToken, type Random } from '../../core/random/index.ts'

/** What one sign-in granted a client; every token issued from it carries its id. */
export interface Grant {
  grantId: string
  clientId: string
  userId: string
  scopes: string[]
  /** When the user authenticated (ms), for auth_time. */
  authTime: number
  /** The IdP session's `sid`, carried by every ID token of the grant (logout). */
  sid: string
  /** How the sign-in says the user authenticated (OIDC Core §2 `acr`, RFC 8176 `amr`). */
  acr?: string | undefined
  amr?: string[] | undefined
}

export interface AuthorizationCode extends Grant {
  redirectUri: string
  nonce: string | undefined
  codeChallenge: string | undefined
  codeChallengeMethod: PkceMethod | undefined
}

export type TakenCode =
  | { kind: 'valid'; code: AuthorizationCode }
  | { kind: 'reused'; grantId: string }
  | undefined

const codeLifetimeMs = 60_000
const refreshTokenLifetimeMs = 14 * 86_400_000

export interface GrantStore {
  issueCode(code: Omit<AuthorizationCode, 'grantId'>): string
  /** A code is exchanged once (RFC 6749 §4.1.2); a second try reports the grant it came from. */
  takeCode(code: string): TakenCode
  issueAccessToken(grant: Grant, lifetimeMs: number): string
  accessToken(token: string): Grant | undefined
  issueRefreshToken(grant: Grant): string
  /** The grant of a live refresh token, leaving it usable (to check before spending it). */
  refreshToken(token: string): Grant | undefined
  /** Refresh tokens rotate: each is used once; a second try reports its grant. */
  takeRefreshToken(
    token: string,
  ): { kind: 'valid'; grant: Grant } | { kind: 'reused'; grantId: string } | undefined
  /** Ends every token of the grant (a code or refresh token was replayed: RFC 6749 §4.1.2, §10.4). */
  revoke(grantId: string): void
}

export function createGrantStore(clock: Clock, random: Random): GrantStore {
  const codes = createExpiringMap<AuthorizationCode>(clock)
  const accessTokens = createExpiringMap<Grant>(clock)
  const refreshTokens = createExpiringMap<Grant>(clock)
  // Used codes and refresh tokens → their grant, kept as long as the originals could have lived.
  const used = createExpiringMap<string>(clock)
  const revoked = createExpiringMap<true>(clock)
  const live = <G extends Grant>(grant: G | undefined) =>
    grant && !revoked.get(grant.grantId) ? grant : undefined
  return {
    issueCode(code) {
      const value = newToken(random, 32)
      codes.set(value, { ...code, grantId: newToken(random, 12) }, clock.now() + codeLifetimeMs)
      return value
    },
    takeCode(value) {
      const code = live(codes.take(value))
      if (code) {
        used.set(`code:${value}`, code.grantId, clock.now() + refreshTokenLifetimeMs)
        return { kind: 'valid', code }
      }
      const grantId = used.get(`code:${value}`)
      return grantId === undefined ? undefined : { kind: 'reused', grantId }
    },
    issueAccessToken(grant, lifetimeMs) {
      const value = newToken(random, 32)
      accessTokens.set(value, grantOf(grant), clock.now() + lifetimeMs)
      return value
    },
    accessToken: (value) => live(accessTokens.get(value)),
    issueRefreshToken(grant) {
      const value = newToken(random, 32)
      refreshTokens.set(value, grantOf(grant), clock.now() + refreshTokenLifetimeMs)
      return value
    },
    refreshToken: (value) => live(refreshTokens.get(value)),
    takeRefreshToken(value) {
      const grant = live(refreshTokens.take(value))
      if (grant) {
        used.set(`refresh:${value}`, grant.grantId, clock.now() + refreshTokenLifetimeMs)
        return { kind: 'valid', grant }
      }
      const grantId = used.get(`refresh:${value}`)
      return grantId === undefined ? undefined : { kind: 'reused', grantId }
    },
    revoke(grantId) {
      revoked.set(grantId, true, clock.now() + refreshTokenLifetimeMs)
    },
  }
}

function grantOf(grant: Grant): Grant {
  return {
    grantId: grant.grantId,
    clientId: grant.clientId,
    userId: grant.userId,
    scopes: [...grant.scopes],
    authTime: grant.authTime,
    sid: grant.sid,
    acr: grant.acr,
    amr: grant.amr,
  }
}
