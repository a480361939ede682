import type { ExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Clock } from '../../core/clock/index.ts'
import type { SpDatabase } from './database.ts'

/** How often a namespace's ended rows are purged at most, ms; and how many at a time. */
export const purgeEveryMs = 5_000
export const purgeBatch = 500

/** An ExpiringMap that can also list its live entries (single logout walks the sessions). */
export interface StoredExpiringMap<V> extends ExpiringMap<V> {
  entries(): Array<[string, V]>
}

/**
 * Where a store's rows are kept. `expiring` (migration 6), a rowid table: any value, a
 * session's 1.5 KB included. `expiring_small` (migration 7), WITHOUT ROWID: a write changes one
 * B-tree fewer (a WAL frame less), but a value of more than a few hundred bytes would go to an
 * overflow page there — only for stores whose values are that small (pending AuthnRequests).
 */
export type ExpiringTable = 'expiring' | 'expiring_small'

/**
 * The in-memory ExpiringMap's contract, kept in the SP database so that what it holds survives a
 * restart. Values are stored as JSON: put only plain data in. An entry is gone once
 * `now >= expiresAt` on the injected clock (every read filters on it); ended rows of the namespace
 * are purged as new ones arrive, at most every `purgeEveryMs` and `purgeBatch` rows at a time
 * through the (namespace, expires_at) index, so a write costs the same however many rows live.
 */
export function createStoredExpiringMap<V>(
  db: SpDatabase,
  namespace: string,
  clock: Clock,
  table: ExpiringTable = 'expiring',
): StoredExpiringMap<V> {
  const remove = db.prepare<[string, string]>(
    `DELETE FROM ${table} WHERE namespace = ? AND key = ?`,
  )
  const select = db.prepare<[string, string], { value: string; expires_at: number }>(
    `SELECT value, expires_at FROM ${table} WHERE namespace = ? AND key = ?`,
  )
  const upsert = db.prepare<[string, string, string, number]>(
    `INSERT INTO ${table} (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
  )
  // The subquery reads the (namespace, expires_at) index alone: its entries hold the rowid, or in
  // the WITHOUT ROWID table the primary key.
  const purgeBatchStatement = db.prepare<[{ namespace: string; now: number; batch: number }]>(
    table === 'expiring'
      ? `DELETE FROM expiring WHERE id IN
           (SELECT id FROM expiring WHERE namespace = @namespace AND expires_at <= @now LIMIT @batch)`
      : `DELETE FROM ${table} WHERE namespace = @namespace AND key IN
           (SELECT key FROM ${table} WHERE namespace = @namespace AND expires_at <= @now LIMIT @batch)`,
  )
  let purgedAt: number | undefined
  // A full batch means more may be waiting: the next write purges again, whatever the interval.
  const purge = () => {
    const now = clock.now()
    if (purgedAt !== undefined && now >= purgedAt && now - purgedAt < purgeEveryMs) return
    const { changes } = purgeBatchStatement.run({ namespace, now, batch: purgeBatch })
    purgedAt = changes >= purgeBatch ? undefined : now
  }
  const extend = db.prepare<[number, string, string, number]>(
    `UPDATE ${table} SET expires_at = ? WHERE namespace = ? AND key = ? AND expires_at > ?`,
  )
  const count = db.prepare<[string, number], { n: number }>(
    `SELECT count(*) AS n FROM ${table} WHERE namespace = ? AND expires_at > ?`,
  )
  const all = db.prepare<[string, number], { key: string; value: string }>(
    `SELECT key, value FROM ${table} WHERE namespace = ? AND expires_at > ?`,
  )
  // An entry read after its end is removed there and then: ended means forgotten, even if the
  // clock is later turned back.
  const get = (key: string): V | undefined => {
    const row = select.get(namespace, key)
    if (!row) return undefined
    if (row.expires_at <= clock.now()) {
      remove.run(namespace, key)
      return undefined
    }
    return JSON.parse(row.value) as V
  }
  const take = db.transaction((key: string): V | undefined => {
    const value = get(key)
    remove.run(namespace, key)
    return value
  })
  return {
    get,
    set(key, value, expiresAt) {
      purge()
      upsert.run(namespace, key, JSON.stringify(value), expiresAt)
    },
    extend: (key, expiresAt) => extend.run(expiresAt, namespace, key, clock.now()).changes > 0,
    delete: (key) => void remove.run(namespace, key),
    // Used once, even by two processes on one file: the read and the delete hold the write lock.
    take: (key) => take.immediate(key),
    get size() {
      return count.get(namespace, clock.now())?.n ?? 0
    },
    entries() {
      return all.all(namespace, clock.now()).map((row) => [row.key, JSON.parse(row.value) as V])
    },
  }
}
