import type { ExpiringMap } from '../../core/clock/expiring-map.ts'
import { tokenKey } from '../../core/store/token-key.ts'

/** IDs of consumed Responses, Assertions and tokens, kept until they could no longer be accepted anyway. */
export interface ReplayCache {
  has(id: string): boolean
  add(id: string, keepUntil: number): void
}

/**
 * Kept as SHA-256 digests: a replay key may be made of token material (a JWS signature, a
 * token's hash), and the database holds nothing a browser or a token carried.
 */
export function createReplayCache(seen: ExpiringMap<true>): ReplayCache {
  return {
    has: (id) => seen.get(tokenKey(id)) !== undefined,
    add: (id, keepUntil) => seen.set(tokenKey(id), true, keepUntil),
  }
}
