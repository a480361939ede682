import type { ExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Random } from '../../core/random/index.ts'
import { openWithToken, sealWithToken } from '../../core/store/seal.ts'
import { tokenKey } from '../../core/store/token-key.ts'

/** Records found again by a bearer token the browser presents (a cookie, an end_session state). */
export interface BrowserBoundMap<V> {
  get(token: string | undefined): V | undefined
  set(token: string, value: V, expiresAt: number): void
  /** Reads and removes: for things used once. */
  take(token: string | undefined): V | undefined
  delete(token: string | undefined): void
}

/**
 * Kept under the token's SHA-256 and sealed with the token (seal.ts): a copy of the database
 * neither finds the record of a browser nor reads what it holds (a PKCE verifier, a nonce, an
 * ID token) without that browser's cookie.
 */
export function createBrowserBoundMap<V>(
  sealed: ExpiringMap<string>,
  random: Random,
): BrowserBoundMap<V> {
  const open = (token: string, value: string | undefined) =>
    value === undefined ? undefined : openWithToken<V>(value, token)
  return {
    get: (token) => (token ? open(token, sealed.get(tokenKey(token))) : undefined),
    set: (token, value, expiresAt) =>
      sealed.set(tokenKey(token), sealWithToken(value, token, random), expiresAt),
    take: (token) => (token ? open(token, sealed.take(tokenKey(token))) : undefined),
    delete(token) {
      if (token) sealed.delete(tokenKey(token))
    },
  }
}
