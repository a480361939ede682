import type { Clock } from '../../core/clock/index.ts'

/** IDs of consumed Responses and Assertions, kept until they could no longer be accepted anyway. */
export interface ReplayCache {
  has(id: string): boolean
  add(id: string, keepUntil: number): void
}

export function createReplayCache(clock: Clock): ReplayCache {
  const seen = new Map<string, number>()
  return {
    has(id) {
      const until = seen.get(id)
      return until !== undefined && until > clock.now()
    },
    add(id, keepUntil) {
      const now = clock.now()
      for (const [key, until] of seen) if (until <= now) seen.delete(key)
      seen.set(id, keepUntil)
    },
  }
}
