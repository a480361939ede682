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
  const sessions = new Map<string, SpSession>()
  const expired = (session: SpSession) => clock.now() - session.lastSeenAt >= inactivityMs
  return {
    create(subject) {
      for (const [token, session] of sessions) if (expired(session)) sessions.delete(token)
      const token = newToken(random)
      const now = clock.now()
      sessions.set(token, { subject, createdAt: now, lastSeenAt: now })
      return token
    },
    touch(token) {
      if (!token) return undefined
      const session = sessions.get(token)
      if (!session) return undefined
      if (expired(session)) {
        sessions.delete(token)
        return undefined
      }
      session.lastSeenAt = clock.now()
      return session
    },
    delete(token) {
      if (token) sessions.delete(token)
    },
  }
}
