import { createExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Clock } from '../../core/clock/index.ts'
import { newId, newToken, type Random } from '../../core/random/index.ts'

/** The IdP's own sign-in session, kept in a cookie so a second sign-in needs no form. */
export interface IdpSession {
  userId: string
  authnInstant: number
  sessionIndex: string
  expiresAt: number
  /**
   * The session's ID for OpenID Connect (`sid` of ID tokens and logout tokens, Front-Channel
   * Logout §3, Back-Channel Logout §2.4): like SessionIndex, it names the session, not the user.
   */
  sid: string
  /** The SPs that received an assertion in this session, for single logout (saml-profiles §4.4). */
  participants: SessionParticipant[]
  /** The OIDC clients and JWT SPs that signed the user in during this session, for single sign-off. */
  relyingParties: RelyingParty[]
}

/** An OIDC client (by client ID) or a JWT SP (by id) that got a code or token in a session. */
export interface RelyingParty {
  protocol: 'oidc' | 'jwt'
  id: string
  /** The subject it was told. */
  sub: string
}

/** An SP that got an assertion in an IdP session, and the NameID it was told. */
export interface SessionParticipant {
  spEntityId: string
  nameId: string
  /** The NameID Format URI as sent. */
  nameIdFormat: string
  /** Its qualifiers as sent (persistent NameIDs), for a LogoutRequest that names it exactly. */
  nameQualifier?: string | undefined
  spNameQualifier?: string | undefined
  sessionIndex: string
}

export const idpSessionCookie = 'ssoproof_idp_session'

export interface IdpSessionStore {
  create(userId: string): { token: string; session: IdpSession }
  get(token: string | undefined): IdpSession | undefined
  delete(token: string | undefined): void
  /** Records (or updates) the SP that was just sent an assertion in this session. */
  addParticipant(sessionIndex: string, participant: SessionParticipant): void
  /** Records (or updates) the OIDC client or JWT SP that was just sent a code or token. */
  addRelyingParty(sessionIndex: string, party: RelyingParty): void
  findBySessionIndex(sessionIndex: string): IdpSession | undefined
  /** The live sessions in which this SP was told this NameID value. */
  findByParticipant(spEntityId: string, nameId: string): IdpSession[]
  /** The live sessions of this user. */
  forUser(userId: string): IdpSession[]
  /** Every live session (the front page shows them). */
  list(): IdpSession[]
  /** Ends the session wherever its cookie is (single logout). */
  end(sessionIndex: string): void
}

export function createIdpSessionStore(
  clock: Clock,
  random: Random,
  lifetimeMs: number,
): IdpSessionStore {
  const sessions = createExpiringMap<IdpSession>(clock)
  // SessionIndex → cookie token; entries whose session has ended are dropped as new ones start.
  const tokens = new Map<string, string>()
  const live = () =>
    [...tokens.values()].flatMap((token) => {
      const session = sessions.get(token)
      return session ? [session] : []
    })
  const bySessionIndex = (sessionIndex: string) => {
    const token = tokens.get(sessionIndex)
    return token === undefined ? undefined : sessions.get(token)
  }
  return {
    create(userId) {
      const now = clock.now()
      const session: IdpSession = {
        userId,
        authnInstant: now,
        sessionIndex: newId(random),
        sid: newToken(random, 16),
        expiresAt: now + lifetimeMs,
        participants: [],
        relyingParties: [],
      }
      const token = newToken(random)
      for (const [index, other] of tokens) if (!sessions.get(other)) tokens.delete(index)
      sessions.set(token, session, session.expiresAt)
      tokens.set(session.sessionIndex, token)
      return { token, session }
    },
    get: (token) => (token ? sessions.get(token) : undefined),
    delete(token) {
      if (token) sessions.delete(token)
    },
    addParticipant(sessionIndex, participant) {
      const session = bySessionIndex(sessionIndex)
      if (!session) return
      session.participants = [
        ...session.participants.filter((p) => p.spEntityId !== participant.spEntityId),
        participant,
      ]
    },
    addRelyingParty(sessionIndex, party) {
      const session = bySessionIndex(sessionIndex)
      if (!session) return
      session.relyingParties = [
        ...session.relyingParties.filter(
          (other) => other.protocol !== party.protocol || other.id !== party.id,
        ),
        party,
      ]
    },
    findBySessionIndex: bySessionIndex,
    findByParticipant: (spEntityId, nameId) =>
      live().filter((session) =>
        session.participants.some((p) => p.spEntityId === spEntityId && p.nameId === nameId),
      ),
    forUser: (userId) => live().filter((session) => session.userId === userId),
    list: live,
    end(sessionIndex) {
      const token = tokens.get(sessionIndex)
      tokens.delete(sessionIndex)
      if (token !== undefined) sessions.delete(token)
    },
  }
}
