import { createExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Clock } from '../../core/clock/index.ts'
import { newToken, type Random } from '../../core/random/index.ts'

/** Who signed in, as the SP understood the assertion. */
export interface SignedInSubject {
  nameId: string
  nameIdFormat: string | undefined
  issuer: string
  sessionIndex: string | undefined
  attributes: Record<string, string[]>
}

export interface SpSession {
  subject: SignedInSubject
  createdAt: number
  lastSeenAt: number
}

export const spSessionCookie = 'ssoproof_sp_session'

export interface SpSessionStore {
  create(subject: SignedInSubject): string
  /** The live session for this token; reading it counts as activity. */
  touch(token: string | undefined): SpSession | undefined
  delete(token: string | undefined): void
}

/** Sessions end after `inactivityMs` without activity; activity extends them. */
export function createSpSessionStore(
  clock: Clock,
  random: Random,
  inactivityMs: number,
): SpSessionStore {
  const sessions = createExpiringMap<SpSession>(clock)
  return {
    create(subject) {
      const token = newToken(random)
      const now = clock.now()
      sessions.set(token, { subject, createdAt: now, lastSeenAt: now }, now + inactivityMs)
      return token
    },
    touch(token) {
      const session = token ? sessions.get(token) : undefined
      if (!session || !token) return undefined
      session.lastSeenAt = clock.now()
      sessions.extend(token, session.lastSeenAt + inactivityMs)
      return session
    },
    delete(token) {
      if (token) sessions.delete(token)
    },
  }
}
