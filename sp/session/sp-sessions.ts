import type { Clock } from '../../core/clock/index.ts'
import type { Random } from '../../core/random/index.ts'
import { sameNameId } from '../../core/saml/logout.ts'
import { createSlidingSessions } from '../store/sliding-sessions.ts'
import type { StoredExpiringMap } from '../store/stored-expiring-map.ts'

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
  /**
   * Single sign-off by OIDC Back- or Front-Channel Logout (or a JWT sign-off): ends the sessions
   * this issuer opened for `sub` and/or in its session `sid` (kept as the sessionIndex). Returns
   * the keys of the sessions that ended, so what hangs on them goes too.
   */
  endByIdpSession(match: {
    issuer: string
    sub?: string | undefined
    sid?: string | undefined
  }): string[]
}

/** What a LogoutRequest names (saml-core §3.7.1). */
export interface SubjectMatch {
  issuer: string
  nameId: string
  nameIdFormat: string | undefined
  sessionIndexes: string[]
}

/** Visitor sessions: sliding inactivity (store/sliding-sessions.ts) plus single logout by subject. */
export function createSpSessionStore(
  sessions: StoredExpiringMap<SpSession>,
  clock: Clock,
  random: Random,
  inactivityMs: number,
): SpSessionStore {
  const sliding = createSlidingSessions(sessions, clock, random, inactivityMs)
  return {
    create: (subject, details = {}) =>
      sliding.create({
        subject,
        contactId: details.contactId,
        missingAttributes: details.missingAttributes ?? [],
      }),
    touch: sliding.touch,
    peek: sliding.peek,
    delete: sliding.delete,
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
    endByIdpSession(match) {
      const ended: string[] = []
      if (match.sub === undefined && match.sid === undefined) return ended
      for (const [key, { subject }] of sessions.entries()) {
        if (
          subject.issuer === match.issuer &&
          (match.sub === undefined || subject.nameId === match.sub) &&
          (match.sid === undefined || subject.sessionIndex === match.sid)
        ) {
          sessions.delete(key)
          ended.push(key)
        }
      }
      return ended
    },
  }
}
