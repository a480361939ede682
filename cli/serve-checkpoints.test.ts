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
 * What the database file alone holds, without its write-ahead log: the names of its tables, read
 * from a copy of the file (a connection to the file itself would read the log too).
 */
function tablesInFileAlone(path: string, scratch: string): string[] {
  const copy = join(scratch, `alone-${Math.random().toString(36).slice(2)}.sqlite`)
  copyFileSync(path, copy)
  const db = new Database(copy, { readonly: true })
  try {
    return (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string
      }[]
    ).map((row) => row.name)
  } finally {
    db.close()
  }
}

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
    expect(
      await until(
        () => tablesInFileAlone(path, dir),
        (tables) => tables.length > 0,
      ),
    ).toEqual(['note'])
    // Still copying: a row written now reaches the file too.
    db.prepare('INSERT INTO note (text) VALUES (?)').run('later')
    const rows = await until(
      () => {
        const copy = join(dir, 'rows.sqlite')
        copyFileSync(path, copy)
        const alone = new Database(copy, { readonly: true })
        try {
          return (alone.prepare('SELECT text FROM note').all() as { text: string }[]).length
        } finally {
          alone.close()
        }
      },
      (count) => count > 0,
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
    await until(
      () => tablesInFileAlone(good, dir),
      (tables) => tables.length > 0,
    )
    await new Promise((resolve) => setTimeout(resolve, 200))
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
      const tables = await until(
        () => tablesInFileAlone(join(dataDir, file), dataDir),
        (found) => found.length > 0,
      )
      expect(tables.length, file).toBeGreaterThan(0)
    }
  })
})
