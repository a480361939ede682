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
  /**
   * The live session for this token; reading it counts as activity (to the second: within
   * `touchResolutionMs` of the last write nothing is written).
   */
  touch(token: string | undefined): T | undefined
  /** The live session without counting as activity (diagnostics, scenarios' checks). */
  peek(token: string | undefined): T | undefined
  delete(token: string | undefined): void
}

/**
 * How finely activity moves a session's end, ms: a touch less than this after the last one that
 * wrote leaves the stored end (and `lastSeenAt`) as they are, so a session ends `inactivityMs`
 * after its last activity to the second — up to 999 ms early, never late. Cookie lifetimes are
 * whole seconds anyway; what it saves is a database write on every page view in a burst.
 */
export const touchResolutionMs = 1_000

/**
 * Sessions end after `inactivityMs` without activity (to the second: `touchResolutionMs`);
 * activity extends them. They are kept in `sessions` (the SP database) under the SHA-256 of the
 * cookie's token, so they survive a restart and a copy of the database signs no one in.
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
      const now = clock.now()
      // The end would move by less than a second: it stays, and the view writes nothing (a
      // sign-in's landing page comes milliseconds after the session was written).
      const moved = now - session.lastSeenAt
      if (moved >= 0 && moved < touchResolutionMs) return session
      session.lastSeenAt = now
      sessions.set(tokenKey(token), session, session.lastSeenAt + inactivityMs)
      return session
    },
    peek: find,
    delete(token) {
      if (token) sessions.delete(tokenKey(token))
    },
  }
}
