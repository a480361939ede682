import type { Clock } from '../../core/clock/index.ts'
import { newToken, type Random } from '../../core/random/index.ts'
import { tokenKey } from '../../core/store/token-key.ts'
import type { StoredExpiringMap } from './stored-expiring-map.ts'

/** What every session records besides its own data. */
export interface SessionTimes {
  createdAt: number
  lastSeenAt: number
}

export type SessionData<T extends SessionTimes> = Omit<T, keyof SessionTimes>

/** Sessions behind a bearer cookie, ended by inactivity (visitors' and agents' alike). */
export interface SlidingSessions<T extends SessionTimes> {
  /**
   * A new session; returns the cookie's token (only its SHA-256 is kept). `data` may be built
   * from the token, to seal a secret with it (store/seal.ts).
   */
  create(data: SessionData<T> | ((token: string) => SessionData<T>)): string
  /** The live session for this token; reading it counts as activity. */
  touch(token: string | undefined): T | undefined
  /** The live session without counting as activity (diagnostics, scenarios' checks). */
  peek(token: string | undefined): T | undefined
  delete(token: string | undefined): void
}

/**
 * Sessions end after `inactivityMs` without activity; activity extends them. They are kept in
 * `sessions` (the SP database) under the SHA-256 of the cookie's token, so they survive a
 * restart and a copy of the database signs no one in.
 */
export function createSlidingSessions<T extends SessionTimes>(
  sessions: StoredExpiringMap<T>,
  clock: Clock,
  random: Random,
  inactivityMs: number,
): SlidingSessions<T> {
  const find = (token: string | undefined) => (token ? sessions.get(tokenKey(token)) : undefined)
  return {
    create(data) {
      const token = newToken(random)
      const now = clock.now()
      const built = typeof data === 'function' ? data(token) : data
      sessions.set(
        tokenKey(token),
        { ...built, createdAt: now, lastSeenAt: now } as T,
        now + inactivityMs,
      )
      return token
    },
    touch(token) {
      const session = find(token)
      if (!session || !token) return undefined
      session.lastSeenAt = clock.now()
      sessions.set(tokenKey(token), session, session.lastSeenAt + inactivityMs)
      return session
    },
    peek: find,
    delete(token) {
      if (token) sessions.delete(tokenKey(token))
    },
  }
}
