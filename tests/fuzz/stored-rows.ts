import { expect } from 'vitest'
import type { SpDatabase } from '../../sp/store/database.ts'

/** Row counts of every SP table, and of every namespace of the short-lived stores (`expiring`, `expiring_small`). */
export function storedRows(db: SpDatabase): Record<string, number> {
  const counts: Record<string, number> = {}
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all() as { name: string }[]
  for (const { name } of tables) {
    counts[name] = (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n
  }
  const namespaces = db
    .prepare(
      `SELECT namespace, count(*) AS n FROM
         (SELECT namespace FROM expiring UNION ALL SELECT namespace FROM expiring_small)
       GROUP BY namespace`,
    )
    .all() as { namespace: string; n: number }[]
  for (const { namespace, n } of namespaces) counts[`expiring:${namespace}`] = n
  return counts
}

/**
 * A refusal stored nothing: no table and no short-lived store gained a row. A message that
 * passed every protocol check and was refused after (an account rule, a required attribute:
 * codes SP_*) is spent, so its IDs may enter the replay cache (`replay` stores) — nothing else.
 */
export function expectNothingStored(
  before: Record<string, number>,
  after: Record<string, number>,
  refusal: { what: string; code: string | undefined },
): void {
  const spent = refusal.code?.startsWith('SP_') ?? false
  const growth = (name: string) => (after[name] ?? 0) - (before[name] ?? 0)
  const burnt = Object.keys(after)
    .filter((name) => spent && name.endsWith(':replay'))
    .reduce((sum, name) => sum + Math.max(growth(name), 0), 0)
  const grown = Object.keys(after).filter((name) =>
    name.endsWith(':replay') && spent ? false : growth(name) > (name === 'expiring' ? burnt : 0),
  )
  expect(grown, `${refusal.what} (${refusal.code}) stored rows`).toEqual([])
}
