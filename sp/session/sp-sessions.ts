import { createExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Clock } from '../../core/clock/index.ts'
import { newToken, type Random } from '../../core/random/index.ts'
import { sameNameId } from '../../core/saml/logout.ts'

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
  /** The live session for this token without counting as activity (diagnostics, scenarios). */
  peek(token: string | undefined): SpSession | undefined
  delete(token: string | undefined): void
  /**
   * Single logout: ends the sessions this IdP opened for this NameID (value and Format), only
   * those with one of `sessionIndexes` when any are given. Returns how many ended.
   */
  endBySubject(match: SubjectMatch): number
}

/** What a LogoutRequest names (saml-core §3.7.1). */
export interface SubjectMatch {
  issuer: string
  nameId: string
  nameIdFormat: string | undefined
  sessionIndexes: string[]
}

/** Sessions end after `inactivityMs` without activity; activity extends them. */
export function createSpSessionStore(
  clock: Clock,
  random: Random,
  inactivityMs: number,
): SpSessionStore {
  const sessions = createExpiringMap<SpSession>(clock)
  // Every token handed out; those whose session has ended are dropped as new ones start.
  const tokens = new Set<string>()
  return {
    create(subject) {
      const token = newToken(random)
      const now = clock.now()
      for (const other of tokens) if (!sessions.get(other)) tokens.delete(other)
      sessions.set(token, { subject, createdAt: now, lastSeenAt: now }, now + inactivityMs)
      tokens.add(token)
      return token
    },
    touch(token) {
      const session = token ? sessions.get(token) : undefined
      if (!session || !token) return undefined
      session.lastSeenAt = clock.now()
      sessions.extend(token, session.lastSeenAt + inactivityMs)
      return session
    },
    peek: (token) => (token ? sessions.get(token) : undefined),
    delete(token) {
      if (token) sessions.delete(token)
    },
    endBySubject(match) {
      let ended = 0
      for (const token of tokens) {
        const subject = sessions.get(token)?.subject
        if (
          subject &&
          subject.issuer === match.issuer &&
          sameNameId(subject, match) &&
          (match.sessionIndexes.length === 0 ||
            (subject.sessionIndex !== undefined &&
              match.sessionIndexes.includes(subject.sessionIndex)))
        ) {
          sessions.delete(token)
          tokens.delete(token)
          ended++
        }
      }
      return ended
    },
  }
}
