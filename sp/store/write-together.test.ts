import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { SsoError } from '../../core/errors/index.ts'
import { createInProcessPair, spUrl } from '../../tests/fixtures/in-process.ts'
import { signIn } from '../../tests/fixtures/visitor.ts'
import { openSpDatabase } from './database.ts'
import { createStoredExpiringMap } from './stored-expiring-map.ts'
import { writeTogether } from './write-together.ts'

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function setup() {
  const db = openSpDatabase()
  const clock = createManualClock('2030-01-01T00:00:00Z')
  const map = createStoredExpiringMap<number>(db, 'test', clock)
  return { db, map, until: clock.now() + 60_000 }
}

const refusal = () => new SsoError('SP_REQUIRED_ATTRIBUTE_MISSING', 'data mapping', 'refused', {})

describe('writeTogether', () => {
  it('returns what the work returns, its writes committed', () => {
    const { db, map, until } = setup()
    const answer = writeTogether(db, () => {
      map.set('a', 1, until)
      map.set('b', 2, until)
      return 'done'
    })
    expect(answer).toBe('done')
    expect(db.inTransaction).toBe(false)
    expect([map.get('a'), map.get('b')]).toEqual([1, 2])
  })

  it('commits what was written before a refusal, then throws the refusal', () => {
    const { db, map, until } = setup()
    const thrown = refusal()
    expect(() =>
      writeTogether(db, () => {
        map.set('consumed', 1, until)
        throw thrown
      }),
    ).toThrow(thrown)
    expect(db.inTransaction).toBe(false)
    expect(map.get('consumed')).toBe(1)
  })

  it('rolls back on any other error', () => {
    const { db, map, until } = setup()
    expect(() =>
      writeTogether(db, () => {
        map.set('half', 1, until)
        throw new TypeError('a bug')
      }),
    ).toThrow(TypeError)
    expect(db.inTransaction).toBe(false)
    expect(map.get('half')).toBeUndefined()
  })

  it('holds the write lock: another connection to the file sees nothing until the commit', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ssoproof-write-together-'))
    folders.push(folder)
    const db = openSpDatabase(join(folder, 'sp.sqlite'))
    const other = openSpDatabase(join(folder, 'sp.sqlite'))
    const clock = createManualClock('2030-01-01T00:00:00Z')
    const map = createStoredExpiringMap<number>(db, 'test', clock)
    const seen = createStoredExpiringMap<number>(other, 'test', clock)
    try {
      writeTogether(db, () => {
        map.set('a', 1, clock.now() + 60_000)
        expect(seen.get('a')).toBeUndefined()
      })
      expect(seen.get('a')).toBe(1)
    } finally {
      db.close()
      other.close()
    }
  })

  it('a SAML sign-in reads its pending request and the replay cache inside the ACS’s write transaction', async () => {
    const { sp, agent } = await createInProcessPair()
    const db = sp.database
    // Every read of a short-lived store during one sign-in: its namespace, and whether a
    // transaction was open (better-sqlite3's statements share one prototype).
    const statement = Object.getPrototypeOf(db.prepare('SELECT 1')) as {
      get: (...args: unknown[]) => unknown
    }
    const get = statement.get
    const reads: string[] = []
    statement.get = function (this: { database: unknown; source: string }, ...args: unknown[]) {
      if (
        this.database === db &&
        /FROM expiring(_small)? WHERE namespace = \? AND key/.test(this.source)
      ) {
        reads.push(`${String(args[0])} ${db.inTransaction ? 'in the transaction' : 'alone'}`)
      }
      return get.apply(this, args)
    }
    try {
      const home = await signIn(agent(), 'alice')
      expect(home.url).toBe(`${spUrl}/`)
    } finally {
      statement.get = get
    }
    expect(reads).toEqual(
      expect.arrayContaining([
        'default:pending-requests in the transaction',
        'default:replay in the transaction',
      ]),
    )
    expect(
      reads.filter((read) => /pending-requests|replay/.test(read) && read.endsWith('alone')),
    ).toEqual([])
  })
})
