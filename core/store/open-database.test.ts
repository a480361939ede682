import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SsoError } from '../errors/index.ts'
import { openDatabase } from './open-database.ts'

const schema = { owner: 'test', migrations: ['CREATE TABLE t (x INTEGER)'] }

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
    expect(error.reason).toMatch(/a file stands where a folder of its path should be \(ENOTDIR\)$/)
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
