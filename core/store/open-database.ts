import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { SsoError } from '../errors/index.ts'
import { folderProblem, makeFolder } from './make-folder.ts'

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
 * transaction, and `user_version` records how far the file got. A file it cannot use — not a
 * database, damaged, written by a newer ssoproof, locked, not writable — is STORE_UNUSABLE naming
 * it; the file is left as it was.
 */
export function openDatabase(schema: DatabaseSchema, path = ':memory:'): Database.Database {
  try {
    return openAndMigrate(schema, path)
  } catch (error) {
    if (error instanceof SsoError) throw error
    const code = (error as { code?: unknown }).code
    throw new SsoError(
      'STORE_UNUSABLE',
      'database file',
      `the ${schema.owner} database ${path} cannot be used: ${unusableBecause(error)}`,
      { owner: schema.owner, file: path, cause: code === undefined ? null : String(code) },
    )
  }
}

function openAndMigrate(schema: DatabaseSchema, path: string): Database.Database {
  if (path !== ':memory:') createPrivately(path)
  // Several processes may share a file (two `serve`s over one --data): a writer waits this long
  // for another's write lock (SQLITE_BUSY) before it gives up.
  const db = connect(path)
  try {
    if (path !== ':memory:') {
      db.pragma('journal_mode = WAL')
      // In WAL mode NORMAL syncs at checkpoints, not at every commit: a killed process loses no
      // committed transaction (the WAL is in the file system); only a power cut may lose the last.
      db.pragma('synchronous = NORMAL')
      db.pragma(`cache_size = -${pageCacheKib}`)
    }
    db.pragma('foreign_keys = ON')
    migrate(db, schema)
  } catch (error) {
    db.close()
    throw error
  }
  return db
}

/** Why a database file cannot be used, in a person's words: SQLite's and the system's codes. */
function unusableBecause(error: unknown): string {
  const { code = '', message = '' } = error as { code?: string; message?: string }
  const is = (...prefixes: string[]) => prefixes.some((prefix) => code.startsWith(prefix))
  if (is('SQLITE_NOTADB')) return 'it is not an SQLite database'
  if (is('SQLITE_CORRUPT')) return 'it is damaged (SQLite: the database disk image is malformed)'
  if (is('SQLITE_BUSY', 'SQLITE_LOCKED'))
    return `another process held its write lock for more than ${busyTimeoutMs / 1000} s`
  if (is('SQLITE_FULL', 'ENOSPC')) return 'the disk is full'
  if (is('SQLITE_READONLY', 'SQLITE_PERM', 'SQLITE_AUTH'))
    return `this user may not write it or its folder (${code})`
  if (is('EEXIST', 'ENOTDIR', 'ENOENT', 'EPERM', 'EACCES', 'EROFS'))
    return `${folderProblem(code)} (${code})`
  if (is('SQLITE_CANTOPEN', 'EISDIR', 'ELOOP', 'ENAMETOOLONG'))
    return `it or its folder cannot be created or opened (${code})`
  // Ours (a schema version, a migration) or SQLite's own one-line text: neither holds any data.
  return message.split('\n')[0] ?? ''
}

/** The schema version a database is at (the number of migrations applied). */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

export function migrate(db: Database.Database, { owner, migrations }: DatabaseSchema): void {
  const current = schemaVersion(db)
  if (current > migrations.length) {
    throw new Error(
      `it is at schema version ${current}, written by a newer ssoproof (this one knows ${migrations.length}); use that version or another --data folder`,
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
            `migration ${version + 1} of the ${owner} database left ${broken.length} rows pointing at no row`,
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
  makeFolder(dirname(path))
  closeSync(openSync(path, 'a', 0o600))
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600)
  }
}

/**
 * Throws STORE_DRIVER_UNAVAILABLE unless the SQLite driver loads: for a command that is about to
 * open stores in many places at once (each scenario run its own), so that it is said once.
 */
export function checkStoreDriver(): void {
  connect(':memory:').close()
}

/**
 * A connection, or STORE_DRIVER_UNAVAILABLE when better-sqlite3's native module cannot be loaded
 * (it loads at the first connection): npm did not build it (npm 12 skips a dependency's install
 * script until the project approves it) or built it for another Node.js. Its own error is a page of
 * paths or a module version number, and says nothing of what to do.
 */
function connect(path: string): Database.Database {
  try {
    return new Database(path, { timeout: busyTimeoutMs })
  } catch (error) {
    const cause = driverUnavailable(error)
    if (cause === undefined) throw error
    throw new SsoError(
      'STORE_DRIVER_UNAVAILABLE',
      'better-sqlite3',
      `the SQLite driver's native module cannot be loaded: ${cause}`,
      { nodeVersion: process.version, platform: `${process.platform}-${process.arch}` },
    )
  }
}

function driverUnavailable(error: unknown): string | undefined {
  const { message = '', code } = error as { message?: string; code?: string }
  if (message.startsWith('Could not locate the bindings file')) return 'it was never built'
  if (code === 'ERR_DLOPEN_FAILED') {
    return /NODE_MODULE_VERSION/.test(message)
      ? 'it was built for another version of Node.js'
      : 'it does not load on this system'
  }
  return undefined
}
