import type { AuthnMethod } from '../../core/authn-context/classes.ts'
import type { Clock } from '../../core/clock/index.ts'
import { newToken, type Random } from '../../core/random/index.ts'
import type { IdpDatabase } from '../store/database.ts'
import { purgeEnded } from '../store/purge-ended.ts'
import {
  formatSessionCookie,
  newSessionSecret,
  parseSessionCookie,
  secretMatches,
} from './session-cookie.ts'

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
  /**
   * A new session, not yet written: what answers the sign-in records in it meanwhile
   * (addParticipant, addRelyingParty) and `save` writes the session with it in one transaction,
   * where create and a later record would take two. Only its cookie finds it, and that exists
   * once it is saved; until then lookups do not see it. Every opened session must be saved.
   */
  open(userId: string, method?: AuthnMethod): IdpSession
  /** Writes an opened session with what was recorded in it; returns its cookie value. */
  save(session: IdpSession): string
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
 * New SessionIndex values, in the order their sessions start: `_`, the clock's millisecond (12 hex
 * digits) and a count within it (8), then 160 random bits (40 hex digits), which make it unique and
 * unguessable. In that order the session_index index grows at its end, as the table does, instead
 * of taking each new key at a random leaf of an index as large as the live sessions: a sign-in
 * touches the same few pages at 50,000 live sessions as at 1,000 (issue 22, figure 9). The prefix
 * tells an SP no more than the assertion's AuthnInstant does. A clock set back keeps the order.
 */
export function sessionIndexes(clock: Clock, random: Random): () => string {
  let lastMs = -1
  let count = 0
  return () => {
    const now = clock.now()
    if (now > lastMs) {
      lastMs = now
      count = 0
    } else count++
    const ms = lastMs.toString(16).padStart(12, '0')
    const within = count.toString(16).padStart(8, '0')
    return `_${ms}${within}${random.bytes(20).toString('hex')}`
  }
}

/**
 * IdP sessions in the IdP database (a restart keeps them: single logout of a visitor signed in
 * before it still works), by their row: the cookie names the row and carries a secret whose
 * SHA-256 the row keeps (session-cookie.ts). Lookups go through indexes (SessionIndex,
 * user, the NameID each SP was told); ended rows are purged in bounded batches as sessions start,
 * never by a sweep of every session.
 */
export function createIdpSessionStore(
  db: IdpDatabase,
  clock: Clock,
  random: Random,
  lifetimeMs: number,
): IdpSessionStore {
  const insert = db.prepare<[string, string, string, string, number, string | null, string | null]>(
    `INSERT INTO idp_sessions (secret_key, session_index, user_id, value, expires_at, sp_entity_id, name_id)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  const byId = db.prepare<[number, number], { secretKey: string; value: string }>(
    'SELECT secret_key AS secretKey, value FROM idp_sessions WHERE id = ? AND expires_at > ?',
  )
  const byIndex = db.prepare<[string, number], { id: number; value: string }>(
    'SELECT id, value FROM idp_sessions WHERE session_index = ? AND expires_at > ?',
  )
  const byUser = db.prepare<[string, number], { value: string }>(
    'SELECT value FROM idp_sessions WHERE user_id = ? AND expires_at > ? ORDER BY id',
  )
  // The SP the sign-in answered is in the row's columns, any other in the participants table.
  const byParticipant = db.prepare<
    [{ spEntityId: string; nameId: string; now: number }],
    { value: string }
  >(
    `SELECT id, value FROM idp_sessions
     WHERE sp_entity_id = @spEntityId AND name_id = @nameId AND expires_at > @now
     UNION ALL
     SELECT s.id, s.value FROM idp_session_participants p
       JOIN idp_sessions s ON s.id = p.session_id
     WHERE p.sp_entity_id = @spEntityId AND p.name_id = @nameId AND s.expires_at > @now
     ORDER BY 1`,
  )
  const live = db.prepare<[number], { value: string }>(
    'SELECT value FROM idp_sessions WHERE expires_at > ? ORDER BY id',
  )
  const update = db.prepare<[string, number]>('UPDATE idp_sessions SET value = ? WHERE id = ?')
  const renameInRow = db.prepare<[string, number, string]>(
    'UPDATE idp_sessions SET name_id = ? WHERE id = ? AND sp_entity_id = ?',
  )
  const addName = db.prepare<[number, string, string]>(
    `INSERT INTO idp_session_participants (session_id, sp_entity_id, name_id) VALUES (?, ?, ?)
     ON CONFLICT (session_id, sp_entity_id) DO UPDATE SET name_id = excluded.name_id`,
  )
  const removeById = db.prepare<[number]>('DELETE FROM idp_sessions WHERE id = ?')
  const removeByIndex = db.prepare<[string]>('DELETE FROM idp_sessions WHERE session_index = ?')
  const purge = purgeEnded(db, 'idp_sessions', clock)
  const newSessionIndex = sessionIndexes(clock, random)
  const parse = (row: { value: string } | undefined) =>
    row ? (JSON.parse(row.value) as IdpSession) : undefined
  const parseAll = (rows: Array<{ value: string }>) =>
    rows.map((row) => JSON.parse(row.value) as IdpSession)
  const bySessionIndex = (sessionIndex: string) => parse(byIndex.get(sessionIndex, clock.now()))
  /** The live row the cookie names, when the cookie's secret is that row's. */
  const rowOf = (token: string | undefined) => {
    const cookie = parseSessionCookie(token)
    if (!cookie) return undefined
    const row = byId.get(cookie.id, clock.now())
    return row && secretMatches(cookie, row.secretKey)
      ? { id: cookie.id, value: row.value }
      : undefined
  }
  // Read, change and write back under the write lock: another request may change it meanwhile.
  const changeStored = db.transaction(
    (sessionIndex: string, change: (session: IdpSession, id: number) => void) => {
      const row = byIndex.get(sessionIndex, clock.now())
      if (!row) return
      const session = JSON.parse(row.value) as IdpSession
      change(session, row.id)
      update.run(JSON.stringify(session), row.id)
    },
  )
  /** Opened sessions not saved yet, by SessionIndex, with their cookie's secret (drawn as they open). */
  const opened = new Map<string, { session: IdpSession; secret: string; secretKey: string }>()
  const open = (userId: string, method: AuthnMethod = 'password') => {
    const now = clock.now()
    const session: IdpSession = {
      userId,
      authnInstant: now,
      method,
      sessionIndex: newSessionIndex(),
      sid: newToken(random, 16),
      expiresAt: now + lifetimeMs,
      participants: [],
      relyingParties: [],
    }
    opened.set(session.sessionIndex, { session, ...newSessionSecret(random) })
    return session
  }
  // The row and the NameIDs its SPs were told, under one write lock: the first SP in the row.
  const write = db.transaction((session: IdpSession, secretKey: string) => {
    purge()
    const [first, ...others] = session.participants
    const { lastInsertRowid } = insert.run(
      secretKey,
      session.sessionIndex,
      session.userId,
      JSON.stringify(session),
      session.expiresAt,
      first?.spEntityId ?? null,
      first?.nameId ?? null,
    )
    const id = Number(lastInsertRowid)
    for (const { spEntityId, nameId } of others) addName.run(id, spEntityId, nameId)
    return id
  })
  const save = (session: IdpSession) => {
    const open = opened.get(session.sessionIndex)
    if (open?.session !== session) {
      throw new TypeError('IdP sessions: save takes a session open() returned, once')
    }
    opened.delete(session.sessionIndex)
    return formatSessionCookie(write.immediate(session, open.secretKey), open.secret)
  }
  /**
   * Changes an opened session in memory (`id` undefined: save writes it all), or a stored one
   * under the write lock.
   */
  const change = (sessionIndex: string, edit: (session: IdpSession, id?: number) => void) => {
    const session = opened.get(sessionIndex)?.session
    if (session) edit(session)
    else changeStored.immediate(sessionIndex, edit)
  }
  return {
    create(userId, method) {
      const session = open(userId, method)
      return { token: save(session), session }
    },
    open,
    save,
    get: (token) => parse(rowOf(token)),
    delete(token) {
      const row = rowOf(token)
      if (row) removeById.run(row.id)
    },
    stepUp(sessionIndex) {
      change(sessionIndex, (session) => {
        session.method = 'second-factor'
        session.authnInstant = clock.now()
      })
      return bySessionIndex(sessionIndex)
    },
    addParticipant(sessionIndex, participant) {
      change(sessionIndex, (session, id) => {
        session.participants = [
          ...session.participants.filter((p) => p.spEntityId !== participant.spEntityId),
          participant,
        ]
        // A stored session: the SP in its row keeps its place there, any other has a row of its own.
        if (
          id !== undefined &&
          renameInRow.run(participant.nameId, id, participant.spEntityId).changes === 0
        )
          addName.run(id, participant.spEntityId, participant.nameId)
      })
    },
    addRelyingParty(sessionIndex, party) {
      change(sessionIndex, (session) => {
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
      parseAll(byParticipant.all({ spEntityId, nameId, now: clock.now() })),
    forUser: (userId) => parseAll(byUser.all(userId, clock.now())),
    list: () => parseAll(live.all(clock.now())),
    end: (sessionIndex) => void removeByIndex.run(sessionIndex),
  }
}
