import type { IdpDatabase } from './database.ts'
import type { StateSeal } from './state-seal.ts'

/** The rows of one registry in the IdP database (users, SPs, clients, keys), by id. */
export interface RecordTable<V> {
  /** Every stored record, in the order each was first added; one that cannot be opened is left out. */
  all(): V[]
  put(id: string, value: V): void
  delete(id: string): void
}

export type RecordKind =
  | 'user'
  | 'service-provider'
  | 'jwt-service-provider'
  | 'oidc-client'
  | 'ring-key'

/**
 * One kind of record in `idp_records`, as JSON, or sealed when `seal` is given (the value holds a
 * password, a shared secret or a private key).
 */
export function createRecordTable<V>(
  db: IdpDatabase,
  kind: RecordKind,
  seal?: StateSeal,
): RecordTable<V> {
  const select = db.prepare<[string], { value: string }>(
    'SELECT value FROM idp_records WHERE kind = ? ORDER BY seq',
  )
  const upsert = db.prepare<[string, string, string]>(
    `INSERT INTO idp_records (kind, id, value) VALUES (?, ?, ?)
     ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value`,
  )
  const remove = db.prepare<[string, string]>('DELETE FROM idp_records WHERE kind = ? AND id = ?')
  return {
    all: () =>
      select.all(kind).flatMap(({ value }) => {
        const record = seal ? seal.open<V>(value) : (JSON.parse(value) as V)
        return record === undefined ? [] : [record]
      }),
    put: (id, value) => void upsert.run(kind, id, seal ? seal.seal(value) : JSON.stringify(value)),
    delete: (id) => void remove.run(kind, id),
  }
}
