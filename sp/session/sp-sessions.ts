import type { Clock } from '../../core/clock/index.ts'
import { newToken, type Random } from '../../core/random/index.ts'
import { sameNameId } from '../../core/saml/logout.ts'
import type { StoredExpiringMap } from '../store/stored-expiring-map.ts'
import { tokenKey } from '../store/token-key.ts'

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
  /** The account the sign-in matched or created (sp/accounts). */
  contactId: number | undefined
  /** Mapped attributes the IdP did not send (diagnostics; their fields stay empty). */
  missingAttributes: Array<{ attribute: string; field: string }>
  createdAt: number
  lastSeenAt: number
}

export const spSessionCookie = 'ssoproof_sp_session'

export interface SpSessionStore {
  create(
    subject: SignedInSubject,
    details?: Partial<Pick<SpSession, 'contactId' | 'missingAttributes'>>,
  ): string
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

/**
 * Sessions end after `inactivityMs` without activity; activity extends them. They are kept in
 * `sessions` (the SP database for a running SP) under the SHA-256 of the cookie's token, so
 * they survive a restart and a copy of the database signs no one in.
 */
export function createSpSessionStore(
  sessions: StoredExpiringMap<SpSession>,
  clock: Clock,
  random: Random,
  inactivityMs: number,
): SpSessionStore {
  const find = (token: string | undefined) => (token ? sessions.get(tokenKey(token)) : undefined)
  return {
    create(subject, details = {}) {
      const token = newToken(random)
      const now = clock.now()
      const session: SpSession = {
        subject,
        contactId: details.contactId,
        missingAttributes: details.missingAttributes ?? [],
        createdAt: now,
        lastSeenAt: now,
      }
      sessions.set(tokenKey(token), session, now + inactivityMs)
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
    endBySubject(match) {
      let ended = 0
      for (const [key, { subject }] of sessions.entries()) {
        if (
          subject.issuer === match.issuer &&
          sameNameId(subject, match) &&
          (match.sessionIndexes.length === 0 ||
            (subject.sessionIndex !== undefined &&
              match.sessionIndexes.includes(subject.sessionIndex)))
        ) {
          sessions.delete(key)
          ended++
        }
      }
      return ended
    },
  }
}
