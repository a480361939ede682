import type { Clock } from './index.ts'

/**
 * A map whose entries end at an instant of the injected clock: sessions, pending requests,
 * flows and replay caches. An entry is gone once `now >= expiresAt`; expired entries are swept
 * as new ones arrive, so memory stays bounded by what is still live: in full whenever the map
 * has doubled since the last sweep (at most twice what was live then, and at least 64 entries
 * apart), so an insert costs the same with ten live entries or a hundred thousand — sweeping
 * at every insert made each one walk every live token of a long run.
 */
export interface ExpiringMap<V> {
  get(key: string): V | undefined
  set(key: string, value: V, expiresAt: number): void
  /** Moves the end of a live entry (sliding expiry); false when there is none. */
  extend(key: string, expiresAt: number): boolean
  delete(key: string): void
  /** Reads and removes: for things used once. */
  take(key: string): V | undefined
  /** How many entries are live. */
  readonly size: number
}

const minimumSweep = 64

export function createExpiringMap<V>(clock: Clock): ExpiringMap<V> {
  const entries = new Map<string, { value: V; expiresAt: number }>()
  // The size at which the next insert sweeps.
  let sweepAt = minimumSweep
  const sweep = () => {
    const now = clock.now()
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key)
    sweepAt = Math.max(minimumSweep, 2 * entries.size)
  }
  const live = (key: string) => {
    const entry = entries.get(key)
    if (entry && entry.expiresAt <= clock.now()) {
      entries.delete(key)
      return undefined
    }
    return entry
  }
  return {
    get: (key) => live(key)?.value,
    set(key, value, expiresAt) {
      if (entries.size >= sweepAt) sweep()
      entries.set(key, { value, expiresAt })
    },
    extend(key, expiresAt) {
      const entry = live(key)
      if (entry) entry.expiresAt = expiresAt
      return entry !== undefined
    },
    delete: (key) => void entries.delete(key),
    take(key) {
      const value = live(key)?.value
      entries.delete(key)
      return value
    },
    /** The live entries (expired ones are swept first). */
    get size() {
      sweep()
      return entries.size
    },
  }
}
