import type { Clock } from '../../core/clock/index.ts'
import type { IdpDatabase } from './database.ts'

/** How often a table's ended rows are purged at most, ms; and how many at a time. */
export const purgeEveryMs = 5_000
export const purgeBatch = 500

/**
 * Deletes ended rows of a table with an `expires_at` index, at most every `purgeEveryMs` and
 * `purgeBatch` rows at a time, so a write costs the same however many rows live. A full batch
 * means more may wait: the next call purges again, whatever the interval.
 */
export function purgeEnded(
  db: IdpDatabase,
  table: 'idp_sessions' | 'idp_artifacts',
  clock: Clock,
): () => void {
  const statement = db.prepare<[number, number]>(
    `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE expires_at <= ? LIMIT ?)`,
  )
  let purgedAt: number | undefined
  return () => {
    const now = clock.now()
    if (purgedAt !== undefined && now >= purgedAt && now - purgedAt < purgeEveryMs) return
    const { changes } = statement.run(now, purgeBatch)
    purgedAt = changes >= purgeBatch ? undefined : now
  }
}
