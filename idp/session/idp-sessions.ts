import type { AuthnMethod } from '../../core/authn-context/classes.ts'
import type { Clock } from '../../core/clock/index.ts'
import { newId, newToken, type Random } from '../../core/random/index.ts'
import { tokenKey } from '../../core/store/token-key.ts'
import type { IdpDatabase } from '../store/database.ts'
import { purgeEnded } from '../store/purge-ended.ts'

/** The IdP's own sign-in session, kept in a cookie so a second sign-in needs no form. */
export interface IdpSession {
  userId: string
  authnInstant: number
  /** How the user authenticated (a step-up raises it); absent in sessions made before: password. */
  method?: AuthnMethod
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
  create(userId: string, method?: AuthnMethod): { token: string; session: IdpSession }
  /** The user just gave the second factor in this session: its method and AuthnInstant change. */
  stepUp(sessionIndex: string): IdpSession | undefined
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

/**
 * IdP sessions in the IdP database (a restart keeps them: single logout of a visitor signed in
 * before it still works), by the SHA-256 of their cookie. Lookups go through indexes (SessionIndex,
 * user, the NameID each SP was told); ended rows are purged in bounded batches as sessions start,
 * never by a sweep of every session.
 */
export function createIdpSessionStore(
  db: IdpDatabase,
  clock: Clock,
  random: Random,
  lifetimeMs: number,
): IdpSessionStore {
  const insert = db.prepare<[string, string, string, string, number]>(
    'INSERT INTO idp_sessions (token_key, session_index, user_id, value, expires_at) VALUES (?, ?, ?, ?, ?)',
  )
  const byToken = db.prepare<[string, number], { value: string }>(
    'SELECT value FROM idp_sessions WHERE token_key = ? AND expires_at > ?',
  )
  const byIndex = db.prepare<[string, number], { value: string }>(
    'SELECT value FROM idp_sessions WHERE session_index = ? AND expires_at > ?',
  )
  const byUser = db.prepare<[string, number], { value: string }>(
    'SELECT value FROM idp_sessions WHERE user_id = ? AND expires_at > ? ORDER BY rowid',
  )
  const byParticipant = db.prepare<[string, string, number], { value: string }>(
    `SELECT s.value FROM idp_session_participants p
       JOIN idp_sessions s ON s.session_index = p.session_index
     WHERE p.sp_entity_id = ? AND p.name_id = ? AND s.expires_at > ? ORDER BY s.rowid`,
  )
  const live = db.prepare<[number], { value: string }>(
    'SELECT value FROM idp_sessions WHERE expires_at > ? ORDER BY rowid',
  )
  const update = db.prepare<[string, string]>(
    'UPDATE idp_sessions SET value = ? WHERE session_index = ?',
  )
  const addName = db.prepare<[string, string, string]>(
    `INSERT INTO idp_session_participants (session_index, sp_entity_id, name_id) VALUES (?, ?, ?)
     ON CONFLICT (session_index, sp_entity_id) DO UPDATE SET name_id = excluded.name_id`,
  )
  const removeByToken = db.prepare<[string]>('DELETE FROM idp_sessions WHERE token_key = ?')
  const removeByIndex = db.prepare<[string]>('DELETE FROM idp_sessions WHERE session_index = ?')
  const purge = purgeEnded(db, 'idp_sessions', clock)
  const parse = (row: { value: string } | undefined) =>
    row ? (JSON.parse(row.value) as IdpSession) : undefined
  const parseAll = (rows: Array<{ value: string }>) =>
    rows.map((row) => JSON.parse(row.value) as IdpSession)
  const bySessionIndex = (sessionIndex: string) => parse(byIndex.get(sessionIndex, clock.now()))
  // Read, change and write back under the write lock: another request may change it meanwhile.
  const change = db.transaction((sessionIndex: string, edit: (session: IdpSession) => void) => {
    const session = bySessionIndex(sessionIndex)
    if (!session) return
    edit(session)
    update.run(JSON.stringify(session), sessionIndex)
  })
  return {
    create(userId, method = 'password') {
      const now = clock.now()
      const session: IdpSession = {
        userId,
        authnInstant: now,
        method,
        sessionIndex: newId(random),
        sid: newToken(random, 16),
        expiresAt: now + lifetimeMs,
        participants: [],
        relyingParties: [],
      }
      const token = newToken(random)
      purge()
      insert.run(
        tokenKey(token),
        session.sessionIndex,
        userId,
        JSON.stringify(session),
        session.expiresAt,
      )
      return { token, session }
    },
    get: (token) => (token ? parse(byToken.get(tokenKey(token), clock.now())) : undefined),
    delete(token) {
      if (token) removeByToken.run(tokenKey(token))
    },
    stepUp(sessionIndex) {
      change.immediate(sessionIndex, (session) => {
        session.method = 'second-factor'
        session.authnInstant = clock.now()
      })
      return bySessionIndex(sessionIndex)
    },
    addParticipant(sessionIndex, participant) {
      change.immediate(sessionIndex, (session) => {
        session.participants = [
          ...session.participants.filter((p) => p.spEntityId !== participant.spEntityId),
          participant,
        ]
        addName.run(sessionIndex, participant.spEntityId, participant.nameId)
      })
    },
    addRelyingParty(sessionIndex, party) {
      change.immediate(sessionIndex, (session) => {
        session.relyingParties = [
          ...session.relyingParties.filter(
            (other) => other.protocol !== party.protocol || other.id !== party.id,
          ),
          party,
        ]
      })
    },
    findBySessionIndex: bySessionIndex,
    findByParticipant: (spEntityId, nameId) =>
      parseAll(byParticipant.all(spEntityId, nameId, clock.now())),
    forUser: (userId) => parseAll(byUser.all(userId, clock.now())),
    list: () => parseAll(live.all(clock.now())),
    end: (sessionIndex) => void removeByIndex.run(sessionIndex),
  }
}
