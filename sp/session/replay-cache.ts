import type { ExpiringMap } from '../../core/clock/expiring-map.ts'

/** IDs of consumed Responses and Assertions, kept until they could no longer be accepted anyway. */
export interface ReplayCache {
  has(id: string): boolean
  add(id: string, keepUntil: number): void
}

export function createReplayCache(seen: ExpiringMap<true>): ReplayCache {
  return {
    has: (id) => seen.get(id) !== undefined,
    add: (id, keepUntil) => seen.set(id, true, keepUntil),
  }
}
