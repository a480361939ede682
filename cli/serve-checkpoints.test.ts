import { copyFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../core/store/open-database.ts'
import { type RunningServe, startServe } from './serve.ts'
import {
  type Checkpoints,
  requestCheckpointPages,
  serveCheckpointsElsewhere,
  startCheckpoints,
} from './serve-checkpoints.ts'

// serve's checkpoint thread (serve-checkpoints.ts): the write-ahead logs reach the database files
// without a checkpoint on the serving connections.

const folders: string[] = []
const opened: Array<{ close(): unknown }> = []
const threads: Checkpoints[] = []
const running: RunningServe[] = []

afterEach(async () => {
  for (const serve of running.splice(0)) await serve.close()
  for (const thread of threads.splice(0)) await thread.close()
  for (const db of opened.splice(0)) db.close()
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true })
})

async function folder(): Promise<string> {
  const made = await mkdtemp(join(tmpdir(), 'ssoproof-serve-checkpoints-'))
  folders.push(made)
  return made
}

/**
 * What the database file alone holds, without its write-ahead log: `read` over a copy of the file
 * (a connection to the file itself would read the log too). Undefined when the copy is torn: taken
 * while the checkpoint thread was writing pages into the file, it can be half old, half new, and
 * SQLite then refuses it (SQLITE_CORRUPT, "database disk image is malformed", or SQLITE_NOTADB) —
 * not yet a reading; a poll reads again.
 */
function readFileAlone<T>(path: string, scratch: string, read: (db: Database.Database) => T) {
  const copy = join(scratch, `alone-${Math.random().toString(36).slice(2)}.sqlite`)
  copyFileSync(path, copy)
  let db: Database.Database | undefined
  try {
    db = new Database(copy, { readonly: true })
    return read(db)
  } catch (error) {
    if (error instanceof Database.SqliteError && tornCopyCodes.has(error.code)) return undefined
    throw error
  } finally {
    db?.close()
  }
}

const tornCopyCodes = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB'])

/** The names of the tables in the file alone (readFileAlone), or undefined for a torn copy. */
function tablesInFileAlone(path: string, scratch: string): string[] | undefined {
  return readFileAlone(path, scratch, (db) =>
    (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string
      }[]
    ).map((row) => row.name),
  )
}

/** Whether a reading of the file alone found any table. */
const hasTables = (tables: string[] | undefined) => tables !== undefined && tables.length > 0

/** Polls `read` until `done` says yes or `timeoutMs` passes; returns the last reading. */
async function until<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  let value = read()
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    value = read()
  }
  return value
}

const schema = {
  owner: 'test',
  migrations: ['CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)'],
}

describe('serve checkpoints', () => {
  it('the serving connection checkpoints only at requestCheckpointPages', async () => {
    const db = openDatabase(schema, join(await folder(), 'a.sqlite'))
    opened.push(db)
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
    serveCheckpointsElsewhere(db)
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(requestCheckpointPages)
  })

  it('copies what the log holds into the file while the serving connection writes on', async () => {
    const dir = await folder()
    const path = join(dir, 'a.sqlite')
    const db = openDatabase(schema, path)
    opened.push(db)
    serveCheckpointsElsewhere(db)
    // The migration's commit is in the log, not yet in the file.
    expect(tablesInFileAlone(path, dir)).toEqual([])
    const lines: string[] = []
    threads.push(startCheckpoints([path], (line) => lines.push(line), 20))
    expect(await until(() => tablesInFileAlone(path, dir), hasTables)).toEqual(['note'])
    // Still copying: a row written now reaches the file too.
    db.prepare('INSERT INTO note (text) VALUES (?)').run('later')
    const rows = await until(
      () =>
        readFileAlone(path, dir, (alone) => alone.prepare('SELECT text FROM note').all().length),
      (count) => count !== undefined && count > 0,
    )
    expect(rows).toBe(1)
    expect(lines).toEqual([])
  })

  it('a file it cannot checkpoint is said once and left to its own connection', async () => {
    const dir = await folder()
    const good = join(dir, 'good.sqlite')
    const bad = join(dir, 'bad.sqlite')
    writeFileSync(bad, 'not a database, but long enough to be read as one '.repeat(100))
    const db = openDatabase(schema, good)
    opened.push(db)
    const lines: string[] = []
    threads.push(startCheckpoints([bad, good], (line) => lines.push(line), 20))
    await until(() => tablesInFileAlone(good, dir), hasTables)
    await new Promise((resolve) => setTimeout(resolve, 200))
    // A file SQLite refuses reads as a torn copy would: not yet a reading.
    expect(tablesInFileAlone(bad, dir)).toBeUndefined()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^ssoproof serve: checkpoints of .*bad\.sqlite left to its own connection: /,
    )
    // The good file was checkpointed all the same.
    expect(tablesInFileAlone(good, dir)).toEqual(['note'])
  })

  it('serve on two threads checkpoints both databases off the serving threads', {
    timeout: 60_000,
  }, async () => {
    const dataDir = await folder()
    const serve = await startServe({
      idpPort: 0,
      spPort: 0,
      host: '127.0.0.1',
      dataDir,
      threads: 2,
      log: () => {},
    })
    running.push(serve)
    // Each schema is far under SQLite's own 1,000 pages: only the checkpoint thread gets the
    // migrations' commits from the logs into the files.
    for (const file of ['idp.sqlite', 'sp.sqlite']) {
      const tables = await until(() => tablesInFileAlone(join(dataDir, file), dataDir), hasTables)
      expect(tables?.length ?? 0, file).toBeGreaterThan(0)
    }
  })
})
