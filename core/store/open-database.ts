import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'

/**
 * Each file database's page cache, KiB (SQLite's default is 2,000): room for the indexes of 50,000
 * live sessions, so a write costs about the same at 50,000 as at 1,000 (`npm run bench`,
 * store-cost); other pages come through the operating system's file cache. It is native memory a
 * long `serve` fills and keeps for each of its two databases: at 32 MB each, 64 MB of its RSS after
 * 100,000 sign-ins (issue 22).
 */
export const pageCacheKib = 16_000

/** How long a statement waits for another connection's write lock, ms. */
export const busyTimeoutMs = 10_000

/** Whose database a file is, for its error messages: `SP`, `IdP`. */
export interface DatabaseSchema {
  owner: string
  /** One entry per version; never edit a released entry, append a new one. */
  migrations: readonly string[]
}

/**
 * Opens an embedded database (better-sqlite3: synchronous, so a request sees one consistent
 * state) and brings its schema up to date: a file (created with its folder when missing) for
 * `serve`, or `:memory:` for tests and scenario runs. Migrations run in order, each in a
 * transaction, and `user_version` records how far the file got.
 */
export function openDatabase(schema: DatabaseSchema, path = ':memory:'): Database.Database {
  if (path !== ':memory:') createPrivately(path)
  // Several processes may share a file (two `serve`s over one --data): a writer waits this long
  // for another's write lock (SQLITE_BUSY) before it gives up.
  const db = new Database(path, { timeout: busyTimeoutMs })
  if (path !== ':memory:') {
    db.pragma('journal_mode = WAL')
    // In WAL mode NORMAL syncs at checkpoints, not at every commit: a killed process loses no
    // committed transaction (the WAL is in the file system); only a power cut may lose the last.
    db.pragma('synchronous = NORMAL')
    db.pragma(`cache_size = -${pageCacheKib}`)
  }
  db.pragma('foreign_keys = ON')
  try {
    migrate(db, schema)
  } catch (error) {
    db.close()
    throw error
  }
  return db
}

/** The schema version a database is at (the number of migrations applied). */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

export function migrate(db: Database.Database, { owner, migrations }: DatabaseSchema): void {
  const current = schemaVersion(db)
  if (current > migrations.length) {
    throw new Error(
      `the ${owner} database is at schema version ${current}, newer than this ssoproof (${migrations.length}); use a newer ssoproof or another --data folder`,
    )
  }
  if (current === migrations.length) return
  // A migration that rebuilds a table drops the old one; with foreign keys on, that would delete
  // (or refuse for) the rows that point at it. Off for the migrations (the pragma is a no-op inside
  // a transaction), each one checked before it commits, then back as it was.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number
  db.pragma('foreign_keys = OFF')
  try {
    for (let version = current; version < migrations.length; version++) {
      // IMMEDIATE, and read again under the lock: another process may have migrated meanwhile.
      db.transaction(() => {
        if (schemaVersion(db) > version) return
        db.exec(migrations[version] as string)
        const broken = db.pragma('foreign_key_check') as unknown[]
        if (broken.length > 0) {
          throw new Error(
            `${owner} database migration ${version + 1} left ${broken.length} rows pointing at no row`,
          )
        }
        db.pragma(`user_version = ${version + 1}`)
      }).immediate()
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys === 1 ? 'ON' : 'OFF'}`)
  }
}

/**
 * The folder (0700) and the file (0600) exist, readable by their owner only, before SQLite opens
 * the file: they are created that way, never loosened in between. SQLite gives the WAL and SHM
 * files it creates the database file's mode. A file left readable by others by an older
 * ssoproof, and its WAL and SHM, are narrowed to 0600.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  closeSync(openSync(path, 'a', 0o600))
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600)
  }
}
