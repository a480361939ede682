import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { createSeededRandom, type Random } from '../../core/random/index.ts'
import { nameIdFormats } from '../../core/saml/constants.ts'
import { migrate } from '../../core/store/open-database.ts'
import { openIdpDatabase } from '../store/database.ts'
import { idpMigrations } from '../store/migrations.ts'
import { createIdpSessionStore, type IdpSessionStore, sessionIndexes } from './idp-sessions.ts'

function setup() {
  const clock = createManualClock('2030-01-01T00:00:00Z')
  const store = createIdpSessionStore(
    openIdpDatabase(),
    clock,
    createSeededRandom('idp-sessions'),
    60_000,
  )
  return { clock, store }
}

/** `db`, saved under an older schema, migrated to today's and opened as the session store. */
function migratedStore(db: ReturnType<typeof openIdpDatabase>, seed: string): IdpSessionStore {
  migrate(db, { owner: 'IdP', migrations: idpMigrations })
  return createIdpSessionStore(
    db,
    createManualClock('2030-01-01T00:00:00Z'),
    createSeededRandom(seed),
    60_000,
  )
}

const participant = (spEntityId: string, nameId: string, sessionIndex: string) => ({
  spEntityId,
  nameId,
  nameIdFormat: nameIdFormats.unspecified,
  sessionIndex,
})

describe('createIdpSessionStore: session participants for single logout', () => {
  it('records each SP once, the latest NameID winning, and finds sessions by them', () => {
    const { store } = setup()
    const { token, session } = store.create('alice')
    const other = store.create('bob').session
    store.addParticipant(
      session.sessionIndex,
      participant('https://sp1', 'alice', session.sessionIndex),
    )
    store.addParticipant(
      session.sessionIndex,
      participant('https://sp2', 'a@x', session.sessionIndex),
    )
    store.addParticipant(
      session.sessionIndex,
      participant('https://sp1', 'alice-2', session.sessionIndex),
    )
    store.addParticipant(other.sessionIndex, participant('https://sp1', 'bob', other.sessionIndex))

    expect(store.get(token)?.participants.map((p) => [p.spEntityId, p.nameId])).toEqual([
      ['https://sp2', 'a@x'],
      ['https://sp1', 'alice-2'],
    ])
    const current = store.get(token)
    expect(current?.sessionIndex).toBe(session.sessionIndex)
    expect(store.findBySessionIndex(session.sessionIndex)).toEqual(current)
    expect(store.findByParticipant('https://sp1', 'alice-2')).toEqual([current])
    expect(store.findByParticipant('https://sp1', 'alice')).toEqual([])
    expect(store.findByParticipant('https://sp2', 'bob')).toEqual([])
    expect(store.forUser('bob').map((live) => live.sessionIndex)).toEqual([other.sessionIndex])
  })

  it('ends a session by SessionIndex, so its cookie no longer signs in', () => {
    const { store } = setup()
    const { token, session } = store.create('alice')
    store.end(session.sessionIndex)
    expect(store.get(token)).toBeUndefined()
    expect(store.findBySessionIndex(session.sessionIndex)).toBeUndefined()
    expect(store.forUser('alice')).toEqual([])
    store.addParticipant(session.sessionIndex, participant('https://sp1', 'alice', 'x'))
    expect(store.findByParticipant('https://sp1', 'alice')).toEqual([])
  })

  it('forgets expired sessions in every lookup', () => {
    const { clock, store } = setup()
    const { session } = store.create('alice')
    store.addParticipant(
      session.sessionIndex,
      participant('https://sp1', 'alice', session.sessionIndex),
    )
    clock.advance('1m')
    expect(store.findBySessionIndex(session.sessionIndex)).toBeUndefined()
    expect(store.findByParticipant('https://sp1', 'alice')).toEqual([])
    expect(store.forUser('alice')).toEqual([])
    const later = store.create('alice').session
    expect(store.forUser('alice')).toEqual([later])
  })
})

describe('createIdpSessionStore: a session opened, recorded in, then saved in one write', () => {
  it('keeps what is recorded in an opened session and writes it all at save', () => {
    const { store } = setup()
    const session = store.open('alice', 'second-factor')
    store.addParticipant(
      session.sessionIndex,
      participant('https://sp1', 'alice-1', session.sessionIndex),
    )
    store.addParticipant(
      session.sessionIndex,
      participant('https://sp1', 'alice-2', session.sessionIndex),
    )
    store.addRelyingParty(session.sessionIndex, { protocol: 'oidc', id: 'client', sub: 'alice' })
    // Not written yet: no lookup sees it.
    expect(store.findBySessionIndex(session.sessionIndex)).toBeUndefined()
    expect(store.findByParticipant('https://sp1', 'alice-2')).toEqual([])
    expect(store.forUser('alice')).toEqual([])

    const token = store.save(session)
    const saved = store.get(token)
    expect(saved).toEqual(session)
    expect(saved?.method).toBe('second-factor')
    expect(saved?.participants.map((p) => [p.spEntityId, p.nameId])).toEqual([
      ['https://sp1', 'alice-2'],
    ])
    expect(saved?.relyingParties).toEqual([{ protocol: 'oidc', id: 'client', sub: 'alice' }])
    expect(store.findByParticipant('https://sp1', 'alice-2')).toEqual([saved])
    expect(store.findByParticipant('https://sp1', 'alice-1')).toEqual([])

    // Saved, it is changed in the database like any other.
    store.addParticipant(
      session.sessionIndex,
      participant('https://sp2', 'a@x', session.sessionIndex),
    )
    expect(store.findByParticipant('https://sp2', 'a@x').map((s) => s.sessionIndex)).toEqual([
      session.sessionIndex,
    ])
  })

  it('keeps the SP the sign-in answered in the session row, not in a participant row of its own', () => {
    const db = openIdpDatabase()
    const store = createIdpSessionStore(
      db,
      createManualClock('2030-01-01T00:00:00Z'),
      createSeededRandom('in-the-row'),
      60_000,
    )
    const participantRows = () =>
      db.prepare('SELECT sp_entity_id AS sp, name_id AS nameId FROM idp_session_participants').all()
    const session = store.open('alice')
    store.addParticipant(
      session.sessionIndex,
      participant('https://sp1', 'a1', session.sessionIndex),
    )
    store.save(session)
    const other = store.open('bob')
    store.addParticipant(other.sessionIndex, participant('https://sp1', 'b1', other.sessionIndex))
    store.save(other)
    expect(participantRows()).toEqual([])
    expect(store.findByParticipant('https://sp1', 'a1').map((s) => s.userId)).toEqual(['alice'])

    // Told again with another NameID, the SP in the row stays there; a second SP has its row.
    store.addParticipant(
      session.sessionIndex,
      participant('https://sp1', 'a2', session.sessionIndex),
    )
    store.addParticipant(
      session.sessionIndex,
      participant('https://sp2', 'a@x', session.sessionIndex),
    )
    expect(participantRows()).toEqual([{ sp: 'https://sp2', nameId: 'a@x' }])
    expect(store.findByParticipant('https://sp1', 'a1')).toEqual([])
    expect(store.findByParticipant('https://sp1', 'a2').map((s) => s.userId)).toEqual(['alice'])
    expect(store.findByParticipant('https://sp2', 'a@x').map((s) => s.userId)).toEqual(['alice'])
    expect(store.findByParticipant('https://sp2', 'b1')).toEqual([])

    store.end(session.sessionIndex)
    expect(store.findByParticipant('https://sp1', 'a2')).toEqual([])
    expect(store.findByParticipant('https://sp2', 'a@x')).toEqual([])
    expect(participantRows()).toEqual([])
    expect(store.findByParticipant('https://sp1', 'b1').map((s) => s.userId)).toEqual(['bob'])
  })

  it('saves an opened session once, and no session it did not open', () => {
    const { store } = setup()
    const session = store.open('alice')
    const stranger = { ...store.open('bob'), userId: 'mallory' }
    expect(() => store.save(stranger)).toThrow(TypeError)
    store.save(session)
    expect(() => store.save(session)).toThrow(TypeError)
    expect(store.forUser('alice')).toHaveLength(1)
    expect(store.forUser('mallory')).toEqual([])
  })

  it('draws the cookie secret as the session opens: a seed gives what create gave, whatever the answer draws meanwhile', () => {
    const run = (signIn: (store: IdpSessionStore, random: Random) => string) => {
      const random = createSeededRandom('same seed')
      const clock = createManualClock('2030-01-01T00:00:00Z')
      const token = signIn(createIdpSessionStore(openIdpDatabase(), clock, random, 60_000), random)
      return { token, after: random.bytes(16).toString('hex') }
    }
    const created = run((store, random) => {
      const { token } = store.create('alice')
      random.bytes(16)
      return token
    })
    const opened = run((store, random) => {
      const session = store.open('alice')
      random.bytes(16)
      return store.save(session)
    })
    expect(opened).toEqual(created)
  })
})

describe('createIdpSessionStore: the cookie names a row and proves it with a secret', () => {
  it('signs in only with the row id and its own secret; the database keeps no cookie', () => {
    const db = openIdpDatabase()
    const clock = createManualClock('2030-01-01T00:00:00Z')
    const store = createIdpSessionStore(db, clock, createSeededRandom('cookie'), 60_000)
    const alice = store.create('alice')
    const bob = store.create('bob')
    expect(store.get(alice.token)?.userId).toBe('alice')
    const [aliceId, aliceSecret] = alice.token.split('.')
    const [bobId, bobSecret] = bob.token.split('.')
    // Another row's secret, a secret one character off, no secret, an id with a leading zero.
    for (const forged of [
      `${aliceId}.${bobSecret}`,
      `${bobId}.${aliceSecret}`,
      `${aliceId}.${aliceSecret?.slice(0, -1)}${aliceSecret?.endsWith('A') ? 'B' : 'A'}`,
      `${aliceId}.`,
      `0${aliceId}.${aliceSecret}`,
      aliceSecret,
    ]) {
      expect(store.get(forged)).toBeUndefined()
      store.delete(forged)
    }
    expect(store.get(alice.token)?.userId).toBe('alice')
    const rows = JSON.stringify(db.prepare('SELECT * FROM idp_sessions').all())
    expect(rows).not.toContain(aliceSecret)
    store.delete(alice.token)
    expect(store.get(alice.token)).toBeUndefined()
    expect(store.get(bob.token)?.userId).toBe('bob')
  })

  it('migrates sessions of the digest-keyed schema: kept for single logout, their old cookies signed out', () => {
    const db = openIdpDatabase()
    // Back to schema 1 with one session and its participant, as a file of before holds them.
    db.exec(`
      DROP TABLE idp_session_participants; DROP TABLE idp_sessions;
      CREATE TABLE idp_sessions (token_key TEXT PRIMARY KEY, session_index TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL, value TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE INDEX idp_sessions_by_end ON idp_sessions (expires_at);
      CREATE INDEX idp_sessions_by_user ON idp_sessions (user_id);
      CREATE TABLE idp_session_participants (
        session_index TEXT NOT NULL REFERENCES idp_sessions (session_index) ON DELETE CASCADE,
        sp_entity_id TEXT NOT NULL, name_id TEXT NOT NULL, PRIMARY KEY (session_index, sp_entity_id)
      ) WITHOUT ROWID;
      CREATE INDEX idp_participants_by_name_id ON idp_session_participants (sp_entity_id, name_id);
      PRAGMA user_version = 1;
    `)
    const session = {
      userId: 'carol',
      authnInstant: 0,
      sessionIndex: '_old',
      sid: 'sid',
      expiresAt: Date.parse('2030-01-01T08:00:00Z'),
      participants: [participant('https://sp1', 'carol', '_old')],
      relyingParties: [],
    }
    db.prepare('INSERT INTO idp_sessions VALUES (?, ?, ?, ?, ?)').run(
      'digest-of-the-old-cookie',
      '_old',
      'carol',
      JSON.stringify(session),
      session.expiresAt,
    )
    db.prepare('INSERT INTO idp_session_participants VALUES (?, ?, ?)').run(
      '_old',
      'https://sp1',
      'carol',
    )
    const store = migratedStore(db, 'migrated')
    expect(store.findByParticipant('https://sp1', 'carol').map((s) => s.sessionIndex)).toEqual([
      '_old',
    ])
    expect(store.get('the-old-cookie')).toBeUndefined()
    store.end('_old')
    expect(db.prepare('SELECT count(*) AS n FROM idp_session_participants').get()).toEqual({ n: 0 })
  })
})

describe('createIdpSessionStore: sessions saved before the SP moved into the session row', () => {
  it('still finds them by their participants, and records a later NameID where the participant is', () => {
    const db = openIdpDatabase()
    // Back to schema 2 (participants only in their table), one session saved as it was then.
    db.exec(`
      DROP INDEX idp_sessions_by_name_id;
      ALTER TABLE idp_sessions DROP COLUMN sp_entity_id;
      ALTER TABLE idp_sessions DROP COLUMN name_id;
      PRAGMA user_version = 2;
    `)
    const session = {
      userId: 'carol',
      authnInstant: 0,
      sessionIndex: '_before',
      sid: 'sid',
      expiresAt: Date.parse('2030-01-01T08:00:00Z'),
      participants: [participant('https://sp1', 'carol', '_before')],
      relyingParties: [],
    }
    const { lastInsertRowid } = db
      .prepare(
        'INSERT INTO idp_sessions (secret_key, session_index, user_id, value, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run('key', '_before', 'carol', JSON.stringify(session), session.expiresAt)
    db.prepare('INSERT INTO idp_session_participants VALUES (?, ?, ?)').run(
      lastInsertRowid,
      'https://sp1',
      'carol',
    )
    const store = migratedStore(db, 'before')
    expect(store.findByParticipant('https://sp1', 'carol').map((s) => s.sessionIndex)).toEqual([
      '_before',
    ])
    store.addParticipant('_before', participant('https://sp1', 'carol-2', '_before'))
    expect(store.findByParticipant('https://sp1', 'carol')).toEqual([])
    expect(store.findByParticipant('https://sp1', 'carol-2').map((s) => s.sessionIndex)).toEqual([
      '_before',
    ])
    expect(db.prepare('SELECT count(*) AS n FROM idp_session_participants').get()).toEqual({ n: 1 })
  })
})

describe('createIdpSessionStore: SessionIndex values follow the order sessions start', () => {
  it('sorts new SessionIndex values as their sessions started, in one millisecond, across them and with the clock set back', () => {
    const clock = createManualClock('2030-01-01T00:00:00Z')
    const db = openIdpDatabase()
    const store = createIdpSessionStore(db, clock, createSeededRandom('ordered'), 3_600_000)
    const started: string[] = []
    for (let i = 0; i < 40; i++) started.push(store.create(`user-${i}`).session.sessionIndex)
    clock.advance(1)
    for (let i = 0; i < 5; i++) started.push(store.create(`later-${i}`).session.sessionIndex)
    clock.set(new Date('2029-12-31T00:00:00Z'))
    for (let i = 0; i < 5; i++) started.push(store.create(`set-back-${i}`).session.sessionIndex)
    expect(new Set(started).size).toBe(started.length)
    expect([...started].sort()).toEqual(started)
    // As the index keeps them: each new key is its last, where an insert touches one page.
    const byIndex = db.prepare('SELECT session_index AS s FROM idp_sessions ORDER BY session_index')
    expect((byIndex.all() as Array<{ s: string }>).map((row) => row.s)).toEqual(started)
    for (const sessionIndex of started)
      expect(store.findBySessionIndex(sessionIndex)?.sessionIndex).toBe(sessionIndex)
  })

  it('keeps 160 random bits after the time and count, so a SessionIndex cannot be guessed from another', () => {
    const clock = createManualClock('2030-01-01T00:00:00Z')
    const next = sessionIndexes(clock, createSeededRandom('shape'))
    const [first, second] = [next(), next()]
    expect(first).toMatch(/^_[0-9a-f]{20}[0-9a-f]{40}$/)
    expect(first.slice(1, 13)).toBe(
      Date.parse('2030-01-01T00:00:00Z').toString(16).padStart(12, '0'),
    )
    expect([first.slice(13, 21), second.slice(13, 21)]).toEqual(['00000000', '00000001'])
    expect(first.slice(21)).not.toBe(second.slice(21))
  })
})
