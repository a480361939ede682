import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { openSpDatabase, type SpDatabase } from './database.ts'
import {
  createStoredExpiringMap,
  type ExpiringTable,
  purgeBatch,
  purgeEveryMs,
} from './stored-expiring-map.ts'

const tables: ExpiringTable[] = ['expiring', 'expiring_small']

describe.each(tables)('createStoredExpiringMap in %s', (table) => {
  function rows(db: SpDatabase, namespace: string): string[] {
    return db
      .prepare<[string], { key: string }>(
        `SELECT key FROM ${table} WHERE namespace = ? ORDER BY key`,
      )
      .all(namespace)
      .map((row) => row.key)
  }

  function setup() {
    const db = openSpDatabase()
    const clock = createManualClock('2030-01-01T00:00:00Z')
    const start = clock.now()
    return {
      db,
      clock,
      start,
      map: createStoredExpiringMap<{ n: number }>(db, 'test', clock, table),
    }
  }

  it('keeps plain values until their end, exclusive', () => {
    const { map, clock, start } = setup()
    map.set('a', { n: 1 }, start + 1000)
    expect(map.get('a')).toEqual({ n: 1 })
    expect(map.size).toBe(1)
    clock.advance(999)
    expect(map.get('a')).toEqual({ n: 1 })
    clock.advance(1)
    expect(map.get('a')).toBeUndefined()
    expect(map.size).toBe(0)
  })

  it('removes an expired row when it is read: turning the clock back does not revive it', () => {
    const { db, map, clock, start } = setup()
    map.set('a', { n: 1 }, start + 1000)
    clock.advance(1000)
    expect(rows(db, 'test')).toEqual(['a'])
    expect(map.get('a')).toBeUndefined()
    expect(rows(db, 'test')).toEqual([])
    clock.advance(-5000)
    expect(map.get('a')).toBeUndefined()
  })

  it('purges the namespace’s expired rows when a new one is written, and only that namespace’s', () => {
    const { db, map, clock, start } = setup()
    const other = createStoredExpiringMap<string>(db, 'other', clock, table)
    map.set('old-1', { n: 1 }, start + 1000)
    map.set('old-2', { n: 2 }, start + 1000)
    map.set('live', { n: 3 }, start + 10_000)
    other.set('elsewhere', 'x', start + 1000)
    clock.advance(purgeEveryMs)
    expect(rows(db, 'test')).toEqual(['live', 'old-1', 'old-2'])
    map.set('new', { n: 4 }, start + 20_000)
    expect(rows(db, 'test')).toEqual(['live', 'new'])
    expect(rows(db, 'other')).toEqual(['elsewhere'])
    expect(map.entries()).toEqual([
      ['live', { n: 3 }],
      ['new', { n: 4 }],
    ])
  })

  it('extends a live entry only, and take() reads once', () => {
    const { map, clock, start } = setup()
    map.set('a', { n: 1 }, start + 1000)
    expect(map.extend('a', start + 5000)).toBe(true)
    clock.advance(4000)
    expect(map.get('a')).toEqual({ n: 1 })
    clock.advance(1000)
    expect(map.extend('a', start + 9000)).toBe(false)
    expect(map.get('a')).toBeUndefined()

    map.set('b', { n: 2 }, clock.now() + 1000)
    expect(map.take('b')).toEqual({ n: 2 })
    expect(map.take('b')).toBeUndefined()
    map.set('c', { n: 3 }, clock.now() + 1000)
    map.delete('c')
    expect(map.get('c')).toBeUndefined()
  })

  it('replaces a value under the same key', () => {
    const { map, start } = setup()
    map.set('a', { n: 1 }, start + 1000)
    map.set('a', { n: 2 }, start + 2000)
    expect(map.get('a')).toEqual({ n: 2 })
    expect(map.size).toBe(1)
  })

  it('purges at most every few seconds, while every read already ignores ended rows', () => {
    const { db, map, clock, start } = setup()
    map.set('first', { n: 1 }, start + 1000)
    clock.advance(1000)
    map.set('second', { n: 2 }, start + 60_000)
    expect(rows(db, 'test')).toEqual(['first', 'second'])
    expect(map.get('first')).toBeUndefined()
    expect(map.entries()).toEqual([['second', { n: 2 }]])
    expect(map.size).toBe(1)
    clock.advance(purgeEveryMs)
    map.set('third', { n: 3 }, start + 60_000)
    expect(rows(db, 'test')).toEqual(['second', 'third'])
  })

  it('purges a bounded batch per write, and the next write again until the backlog is gone', () => {
    const { db, map, clock, start } = setup()
    db.transaction(() => {
      for (let i = 0; i < purgeBatch * 2 + 10; i++) map.set(`old-${i}`, { n: i }, start + 1000)
    })()
    clock.advance(purgeEveryMs)
    const remaining = () => rows(db, 'test').filter((key) => key.startsWith('old-')).length
    map.set('a', { n: 0 }, start + 60_000)
    expect(remaining()).toBe(purgeBatch + 10)
    map.set('b', { n: 0 }, start + 60_000)
    expect(remaining()).toBe(10)
    map.set('c', { n: 0 }, start + 60_000)
    expect(remaining()).toBe(0)
  })

  it('finds a namespace’s ended rows through the (namespace, expires_at) index', () => {
    const { db } = setup()
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT key FROM ${table} WHERE namespace = 'x' AND expires_at <= 5 LIMIT 10`,
      )
      .all() as Array<{ detail: string }>
    expect(plan.map((row) => row.detail).join(' ')).toContain(`${table}_by_namespace_end`)
  })

  it('keeps its rows in its own table only', () => {
    const { db, map, start } = setup()
    map.set('a', { n: 1 }, start + 1000)
    const otherTable = tables.find((name) => name !== table)
    expect(rows(db, 'test')).toEqual(['a'])
    expect(db.prepare(`SELECT count(*) AS n FROM ${otherTable}`).get()).toEqual({ n: 0 })
  })
})
