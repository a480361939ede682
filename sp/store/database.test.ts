import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { tokenKey } from '../../core/store/token-key.ts'
import { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { createInProcessPair, idpUrl, spUrl } from '../../tests/fixtures/in-process.ts'
import { apiSession, protocols, signIn } from '../../tests/fixtures/visitor.ts'
import { createSp, type Sp } from '../create-sp.tsx'
import { type PendingRequest, storedPendingRequests } from '../session/pending-requests.ts'
import { openSpDatabase, type SpDatabase, schemaVersion } from './database.ts'
import { migrations } from './migrations.ts'
import { createStoredExpiringMap } from './stored-expiring-map.ts'

const folders: string[] = []
const databases: SpDatabase[] = []

function tempFile(): string {
  const folder = mkdtempSync(join(tmpdir(), 'ssoproof-sp-db-'))
  folders.push(folder)
  return join(folder, 'data', 'sp.sqlite')
}

function open(path: string): SpDatabase {
  const db = openSpDatabase(path)
  databases.push(db)
  return db
}

afterEach(() => {
  for (const db of databases.splice(0)) if (db.open) db.close()
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

describe('openSpDatabase: schema migration', () => {
  it('creates a new file (and its folder) at the latest schema version, in WAL mode', () => {
    const db = open(tempFile())
    expect(schemaVersion(db)).toBe(migrations.length)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((row) => row.name)
    expect(tables).toEqual(
      expect.arrayContaining(['expiring', 'contacts', 'conversations', 'messages', 'transcripts']),
    )
  })

  it('opens a file at the current version again without migrating twice, its rows kept', () => {
    const path = tempFile()
    const first = open(path)
    first
      .prepare(
        "INSERT INTO contacts (external_id, issuer, created_at, updated_at) VALUES ('alice', 'idp', 1, 1)",
      )
      .run()
    first.close()
    const again = open(path)
    expect(schemaVersion(again)).toBe(migrations.length)
    expect(again.prepare('SELECT external_id FROM contacts').all()).toEqual([
      { external_id: 'alice' },
    ])
  })

  it('refuses a file a newer ssoproof wrote, with a clear message', () => {
    const path = tempFile()
    const db = open(path)
    db.pragma(`user_version = ${migrations.length + 1}`)
    db.close()
    expect(() => open(path)).toThrow(
      `STORE_UNUSABLE: the SP database ${path} cannot be used: it is at schema version ${migrations.length + 1}, written by a newer ssoproof (this one knows ${migrations.length}); use that version or another --data folder`,
    )
  })

  it('creates the folder 0700 and the file, its WAL and SHM 0600, even under a lax umask', () => {
    const path = tempFile()
    const previous = process.umask(0o022)
    try {
      const db = open(path)
      db.prepare(
        "INSERT INTO expiring (namespace, key, value, expires_at) VALUES ('n', 'k', 'v', 1)",
      ).run()
      const mode = (file: string) => statSync(file).mode & 0o777
      expect(existsSync(`${path}-wal`) && existsSync(`${path}-shm`)).toBe(true)
      expect([path, `${path}-wal`, `${path}-shm`].map(mode)).toEqual([0o600, 0o600, 0o600])
      expect(mode(join(path, '..'))).toBe(0o700)
    } finally {
      process.umask(previous)
    }
  })

  it('narrows a file an older ssoproof left readable by others, with its WAL and SHM', () => {
    const path = tempFile()
    mkdirSync(join(path, '..'), { recursive: true })
    open(path).close()
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      if (!existsSync(file)) writeFileSync(file, '')
      chmodSync(file, 0o644)
    }
    open(path)
    const modes = [path, `${path}-wal`, `${path}-shm`].map((file) => statSync(file).mode & 0o777)
    expect(modes).toEqual([0o600, 0o600, 0o600])
  })

  it('migration 4 keys accounts by (issuer, external ID): rows and the conversations pointing at them are kept', () => {
    const path = tempFile()
    mkdirSync(join(path, '..'), { recursive: true })
    const old = new Database(path)
    old.pragma('foreign_keys = ON')
    for (const [version, sql] of migrations.slice(0, 3).entries()) {
      old.exec(sql)
      old.pragma(`user_version = ${version + 1}`)
    }
    old
      .prepare(
        "INSERT INTO contacts (id, external_id, issuer, email, roles, created_at, updated_at) VALUES (7, 'alice', 'https://idp-a.example', 'alice@example.com', '[\"1\"]', 1, 2)",
      )
      .run()
    old
      .prepare(
        "INSERT INTO conversations (campaign, visitor, contact_id, team, status, started_at) VALUES ('default', 'v', 7, 'General', 'open', 3)",
      )
      .run()
    old.close()

    const db = open(path)
    expect(schemaVersion(db)).toBe(migrations.length)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.prepare('SELECT id, external_id, issuer, email, roles FROM contacts').all()).toEqual([
      {
        id: 7,
        external_id: 'alice',
        issuer: 'https://idp-a.example',
        email: 'alice@example.com',
        roles: '["1"]',
      },
    ])
    expect(db.prepare('SELECT contact_id FROM conversations').all()).toEqual([{ contact_id: 7 }])
    const insert = db.prepare(
      "INSERT INTO contacts (external_id, issuer, created_at, updated_at) VALUES ('alice', ?, 4, 4)",
    )
    insert.run('https://idp-b.example')
    expect(() => insert.run('https://idp-a.example')).toThrow(/UNIQUE/)
    expect(() =>
      db
        .prepare(
          "INSERT INTO conversations (campaign, visitor, contact_id, team, status, started_at) VALUES ('d', 'v', 99, 'G', 'open', 5)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/)
  })

  it('migration 5 drops the index rows of pending requests by browser, nothing else', () => {
    const path = tempFile()
    mkdirSync(join(path, '..'), { recursive: true })
    const old = new Database(path)
    for (const [version, sql] of migrations.slice(0, 4).entries()) {
      old.exec(sql)
      old.pragma(`user_version = ${version + 1}`)
    }
    const insert = old.prepare(
      "INSERT INTO expiring (namespace, key, value, expires_at) VALUES (?, 'k', '\"_r1\"', 9)",
    )
    for (const namespace of [
      'default:pending-requests-by-browser',
      'support:pending-requests-by-browser',
      'default:pending-requests',
      'default:sessions',
    ]) {
      insert.run(namespace)
    }
    old.close()

    const db = open(path)
    expect(schemaVersion(db)).toBe(migrations.length)
    // Migration 7 then moves the pending request to the WITHOUT ROWID table.
    expect(db.prepare('SELECT namespace FROM expiring ORDER BY namespace').all()).toEqual([
      { namespace: 'default:sessions' },
    ])
    expect(db.prepare('SELECT namespace FROM expiring_small').all()).toEqual([
      { namespace: 'default:pending-requests' },
    ])
  })

  it('migration 6 moves the expiring rows to a rowid table, every row kept and still one per (namespace, key)', () => {
    const path = tempFile()
    mkdirSync(join(path, '..'), { recursive: true })
    const old = new Database(path)
    for (const [version, sql] of migrations.slice(0, 5).entries()) {
      old.exec(sql)
      old.pragma(`user_version = ${version + 1}`)
    }
    const insert = old.prepare(
      'INSERT INTO expiring (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)',
    )
    insert.run('default:sessions', 'k1', JSON.stringify({ n: 'x'.repeat(1500) }), 9)
    insert.run('default:replay', 'k1', 'true', 8)
    old.close()

    const db = open(path)
    expect(schemaVersion(db)).toBe(migrations.length)
    const sql = db
      .prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'expiring'")
      .get()?.sql
    expect(sql).not.toMatch(/WITHOUT ROWID/i)
    expect(
      db
        .prepare(
          'SELECT namespace, key, length(value) AS n, expires_at FROM expiring ORDER BY namespace',
        )
        .all(),
    ).toEqual([
      { namespace: 'default:replay', key: 'k1', n: 4, expires_at: 8 },
      { namespace: 'default:sessions', key: 'k1', n: 1508, expires_at: 9 },
    ])
    expect(() =>
      db
        .prepare(
          "INSERT INTO expiring (namespace, key, value, expires_at) VALUES ('default:replay', 'k1', 'true', 1)",
        )
        .run(),
    ).toThrow(/UNIQUE/)
    const indexes = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'expiring' AND sql IS NOT NULL",
      )
      .all()
    expect(indexes).toEqual([{ name: 'expiring_by_namespace_end' }])
  })

  it('migration 7 moves the pending requests of every campaign to the WITHOUT ROWID table, every other row stays', () => {
    const path = tempFile()
    mkdirSync(join(path, '..'), { recursive: true })
    const old = new Database(path)
    for (const [version, sql] of migrations.slice(0, 6).entries()) {
      old.exec(sql)
      old.pragma(`user_version = ${version + 1}`)
    }
    const clock = createManualClock('2030-01-01T00:00:00Z')
    const request: PendingRequest = {
      id: '_r1',
      returnPath: '/account',
      expiresAt: clock.now() + 1,
    }
    const insert = old.prepare(
      'INSERT INTO expiring (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)',
    )
    insert.run(
      'default:pending-requests',
      tokenKey('browser-a'),
      JSON.stringify(request),
      request.expiresAt,
    )
    insert.run('shop:pending-requests', 'k2', '{}', 7)
    insert.run('default:sessions', 'k1', JSON.stringify({ n: 'x'.repeat(1500) }), 9)
    insert.run('default:replay', 'k1', 'true', 8)
    insert.run('agent:pending', 'k3', '{}', 6)
    old.close()

    const db = open(path)
    expect(schemaVersion(db)).toBe(migrations.length)
    const sql = db
      .prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'expiring_small'")
      .get()?.sql
    expect(sql).toMatch(/WITHOUT ROWID/i)
    expect(
      db.prepare('SELECT namespace, key, expires_at FROM expiring_small ORDER BY namespace').all(),
    ).toEqual([
      {
        namespace: 'default:pending-requests',
        key: tokenKey('browser-a'),
        expires_at: request.expiresAt,
      },
      { namespace: 'shop:pending-requests', key: 'k2', expires_at: 7 },
    ])
    expect(db.prepare('SELECT namespace FROM expiring ORDER BY namespace').all()).toEqual([
      { namespace: 'agent:pending' },
      { namespace: 'default:replay' },
      { namespace: 'default:sessions' },
    ])
    const pending = storedPendingRequests(db, 'default:pending-requests', clock)
    expect(pending.ofBrowser('browser-a')).toEqual(request)
  })

  it('keeps the pending request GET /login makes in the WITHOUT ROWID table', async () => {
    const { sp, agent } = await createInProcessPair()
    await agent().navigate(`${spUrl}/login`)
    const count = (table: string) =>
      sp.database
        .prepare<[], { n: number }>(
          `SELECT count(*) AS n FROM ${table} WHERE namespace = 'default:pending-requests'`,
        )
        .get()?.n
    expect([count('expiring_small'), count('expiring')]).toEqual([1, 0])
  })

  it('keeps a session-sized row on its leaf: no overflow page for the key comparisons to read', () => {
    const db = open(tempFile())
    const clock = createManualClock('2030-01-01T00:00:00Z')
    const sessions = createStoredExpiringMap<{ data: string }>(db, 'default:sessions', clock)
    for (let i = 0; i < 200; i++) {
      sessions.set(`key-${i}`, { data: 'x'.repeat(1500) }, clock.now() + 60_000)
    }
    const overflow = db
      .prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM dbstat WHERE name = 'expiring' AND pagetype = 'overflow'",
      )
      .get()?.n
    expect(overflow).toBe(0)
    expect(sessions.get('key-7')?.data).toHaveLength(1500)
    expect(sessions.size).toBe(200)
  })

  it('keeps an in-memory database for tests and scenario runs', () => {
    const db = open(':memory:')
    expect(schemaVersion(db)).toBe(migrations.length)
    expect(db.memory).toBe(true)
  })
})

describe.each(protocols)('restart without loss over %s', (protocol) => {
  it('a new SP over the same database file keeps the session, the contact and a sign-in under way', async () => {
    const path = tempFile()
    const { idp, sp } = await createInProcessPair({ protocol, sp: { database: open(path) } })
    let current: Sp = sp
    const origins = {
      [idpUrl]: idp.app.fetch,
      [spUrl]: (request: Request) => current.app.fetch(request),
    }
    const agent = new UserAgent({ origins })
    await signIn(agent, 'alice', { returnUrl: '/account' })
    const before = await apiSession(agent)
    expect(before.contact?.externalId).toBe('alice')
    const cookies = (await agent.jar.getCookieString(`${spUrl}/`)).split('; ').sort()

    // Another visitor has been sent to the IdP and is looking at its login form.
    const other = new UserAgent({ origins })
    const form = await other.navigate(`${spUrl}/login?return_url=${encodeURIComponent('/later')}`)
    expect(form.document.querySelector('#login-form')).not.toBeNull()

    sp.close()
    sp.database.close()
    current = createSp({ ...sp.options, database: open(path) })

    const after = await apiSession(agent)
    expect(after).toEqual({ ...before })
    expect((await agent.jar.getCookieString(`${spUrl}/`)).split('; ').sort()).toEqual(cookies)
    expect(current.contacts.findByExternalId('alice')).toEqual(before.contact)

    await other.submit(form, '#login-form', { username: 'bob' }, { name: 'action', value: 'login' })
    expect(other.history.at(-1)?.url).toBe(`${spUrl}/later`)
    expect((await apiSession(other)).contact?.externalId).toBe('bob')
  })
})
