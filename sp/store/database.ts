import type Database from 'better-sqlite3'
import { openDatabase, schemaVersion as versionOf } from '../../core/store/open-database.ts'
import { migrations } from './migrations.ts'

/**
 * The SP's embedded database. An interface, not an alias, so the declarations of the options
 * schemas can name it.
 */
export interface SpDatabase extends Database.Database {}

/** Opens the SP's database (core/store/open-database.ts): a file for `serve`, else `:memory:`. */
export function openSpDatabase(path = ':memory:'): SpDatabase {
  return openDatabase({ owner: 'SP', migrations }, path)
}

/** The schema version a database is at (the number of migrations applied). */
export function schemaVersion(db: SpDatabase): number {
  return versionOf(db)
}
