import { createExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Clock } from '../../core/clock/index.ts'

/** IDs of consumed Responses and Assertions, kept until they could no longer be accepted anyway. */
export interface ReplayCache {
  has(id: string): boolean
  add(id: string, keepUntil: number): void
}

export function createReplayCache(clock: Clock): ReplayCache {
  const seen = createExpiringMap<true>(clock)
  return {
    has: (id) => seen.get(id) !== undefined,
    add: (id, keepUntil) => seen.set(id, true, keepUntil),
  }
}
