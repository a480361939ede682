import type { Clock } from '../../core/clock/index.ts'
import type { Random } from '../../core/random/index.ts'
import { type NameIdQualifiers, sameNameId } from '../../core/saml/name-id.ts'
import { openWithToken, sealWithToken } from '../../core/store/seal.ts'
import { tokenKey } from '../../core/store/token-key.ts'
import { createSlidingSessions } from '../store/sliding-sessions.ts'
import type { StoredExpiringMap } from '../store/stored-expiring-map.ts'

/** Who signed in, as the SP understood the assertion. */
export interface SignedInSubject {
  nameId: string
  nameIdFormat: string | undefined
  /** SAML: the NameID's qualifiers as asserted, echoed in the LogoutRequest. */
  nameIdQualifiers?: NameIdQualifiers
  issuer: string
  sessionIndex: string | undefined
  /** How the IdP says the user authenticated: SAML AuthnContextClassRef, OIDC and JWT `acr`. */
  authnContext?: string | undefined
  attributes: Record<string, string[]>
  /** SAML: attribute Name → FriendlyName where the IdP gave one (hints only). */
  friendlyNames?: Record<string, string>
}

export interface SpSession {
  subject: SignedInSubject
  /** The account the sign-in matched or created (sp/accounts). */
  contactId: number | undefined
  /** Mapped attributes the IdP did not send (diagnostics; their fields stay empty). */
  missingAttributes: Array<{ attribute: string; field: string }>
  /**
   * OIDC: the ID token for end_session's id_token_hint, sealed with this session's cookie
   * (store/seal.ts): RP-initiated logout needs it raw, and it lives exactly as long as the session.
   */
  sealedIdToken?: string
  /** OIDC: the refresh token for POST /oidc/refresh, sealed the same way. */
  sealedRefreshToken?: string
  createdAt: number
  lastSeenAt: number
}

export const spSessionCookie = 'ssoproof_sp_session'

export interface SpSessionStore {
  create(
    subject: SignedInSubject,
    details?: Partial<Pick<SpSession, 'contactId' | 'missingAttributes'>> & {
      idToken?: string
      refreshToken?: string
    },
  ): string
  /** The live session for this token; reading it counts as activity. */
  touch(token: string | undefined): SpSession | undefined
  /** The live session for this token without counting as activity (diagnostics, scenarios). */
  peek(token: string | undefined): SpSession | undefined
  delete(token: string | undefined): void
  /** The ID token kept for this session (OIDC), opened with the session's cookie token. */
  idTokenOf(session: SpSession, token: string): string | undefined
  /** The refresh token kept for this session (OIDC), opened likewise. */
  refreshTokenOf(session: SpSession, token: string): string | undefined
  /** After a refresh: the new ID token and refresh token replace the session's. */
  replaceTokens(token: string, tokens: { idToken?: string; refreshToken?: string }): void
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
      sliding.create((token) => ({
        subject,
        contactId: details.contactId,
        missingAttributes: details.missingAttributes ?? [],
        ...(details.idToken !== undefined
          ? { sealedIdToken: sealWithToken(details.idToken, token, random) }
          : {}),
        ...(details.refreshToken !== undefined
          ? { sealedRefreshToken: sealWithToken(details.refreshToken, token, random) }
          : {}),
      })),
    idTokenOf: (session, token) =>
      session.sealedIdToken === undefined
        ? undefined
        : openWithToken<string>(session.sealedIdToken, token),
    refreshTokenOf: (session, token) =>
      session.sealedRefreshToken === undefined
        ? undefined
        : openWithToken<string>(session.sealedRefreshToken, token),
    replaceTokens(token, tokens) {
      const key = tokenKey(token)
      const session = sessions.get(key)
      if (!session) return
      if (tokens.idToken !== undefined) {
        session.sealedIdToken = sealWithToken(tokens.idToken, token, random)
      }
      if (tokens.refreshToken !== undefined) {
        session.sealedRefreshToken = sealWithToken(tokens.refreshToken, token, random)
      }
      session.lastSeenAt = clock.now()
      sessions.set(key, session, session.lastSeenAt + inactivityMs)
    },
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
