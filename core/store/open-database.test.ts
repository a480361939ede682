import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { SsoError } from '../errors/index.ts'

// better-sqlite3 loads its native module at the first connection: each test says how that goes.
const load = vi.hoisted(() => ({ failure: undefined as Error | undefined }))
vi.mock('better-sqlite3', async (original) => {
  const real = ((await original()) as { default: new (...args: unknown[]) => unknown }).default
  return {
    default: function Database(...args: unknown[]) {
      if (load.failure) throw load.failure
      return new real(...args)
    },
  }
})
const { openDatabase } = await import('./open-database.ts')

const schema = { owner: 'test', migrations: ['CREATE TABLE t (x INTEGER)'] }

function refusal(): SsoError {
  try {
    openDatabase(schema)
  } catch (error) {
    if (error instanceof SsoError) return error
    throw error
  }
  throw new Error('the database opened')
}

describe('openDatabase when the SQLite driver cannot load', () => {
  beforeEach(() => {
    load.failure = undefined
  })

  it('names a native module npm never built (npm 12 skips unapproved install scripts)', () => {
    load.failure = new Error(
      'Could not locate the bindings file. Tried:\n → /p/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    )
    const error = refusal()
    expect(error.code).toBe('STORE_DRIVER_UNAVAILABLE')
    expect(error.reason).toContain('it was never built')
    expect(error.hint).toContain('npm install-scripts approve better-sqlite3')
    expect(error.evidence).toEqual({
      nodeVersion: process.version,
      platform: `${process.platform}-${process.arch}`,
    })
    expect(JSON.stringify(error.evidence)).not.toContain('/p/node_modules')
  })

  it('names a native module built for another Node.js', () => {
    load.failure = Object.assign(
      new Error(
        "The module 'better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 127. This version of Node.js requires NODE_MODULE_VERSION 115.",
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    )
    const error = refusal()
    expect(error.code).toBe('STORE_DRIVER_UNAVAILABLE')
    expect(error.reason).toContain('another version of Node.js')
    expect(error.hint).toContain('npm rebuild better-sqlite3')
  })

  it('opens as before when the driver loads', () => {
    const db = openDatabase(schema)
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 })
    db.close()
  })
})

describe('openDatabase on a file it cannot use', () => {
  const folder = () => mkdtempSync(join(tmpdir(), 'ssoproof-store-'))

  function unusable(path: string): SsoError {
    try {
      openDatabase(schema, path).close()
    } catch (error) {
      if (error instanceof SsoError) return error
      throw error
    }
    throw new Error('the database opened')
  }

  it('names a file that is no database, and leaves it as it was', () => {
    const path = join(folder(), 'sp.sqlite')
    const text = 'notes: this file was put here by hand\n'.repeat(200)
    writeFileSync(path, text)
    const error = unusable(path)
    expect(error.code).toBe('STORE_UNUSABLE')
    expect(error.reason).toBe(
      `the test database ${path} cannot be used: it is not an SQLite database`,
    )
    expect(error.evidence).toEqual({ owner: 'test', file: path, cause: 'SQLITE_NOTADB' })
    expect(readFileSync(path, 'utf8')).toBe(text)
  })

  it('names a damaged database, and leaves it as it was', () => {
    const path = join(folder(), 'sp.sqlite')
    openDatabase(schema, path).close()
    const bytes = readFileSync(path)
    // The header stays; the schema page behind it is overwritten.
    bytes.fill(0xa5, 100, 1024)
    writeFileSync(path, bytes)
    rmSync(`${path}-wal`, { force: true })
    rmSync(`${path}-shm`, { force: true })
    const error = unusable(path)
    expect(error.code).toBe('STORE_UNUSABLE')
    expect(error.evidence.cause).toMatch(/^SQLITE_(CORRUPT|NOTADB)/)
    expect(readFileSync(path).equals(bytes)).toBe(true)
  })

  it('names a folder that is a file', () => {
    const file = join(folder(), 'data')
    writeFileSync(file, '')
    const error = unusable(join(file, 'sp.sqlite'))
    expect(error.code).toBe('STORE_UNUSABLE')
    expect(error.reason).toMatch(/a file stands where its folder should be \((EEXIST|ENOTDIR)\)$/)
  })

  it('names a file a newer ssoproof wrote', () => {
    const path = join(folder(), 'sp.sqlite')
    const db = openDatabase(schema, path)
    db.pragma('user_version = 7')
    db.close()
    expect(unusable(path).reason).toBe(
      `the test database ${path} cannot be used: it is at schema version 7, written by a newer ssoproof (this one knows 1); use that version or another --data folder`,
    )
  })
})
