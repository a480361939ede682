import type Database from 'better-sqlite3'
import { openDatabase } from '../../core/store/open-database.ts'
import { idpMigrations } from './migrations.ts'

/**
 * The IdP's embedded database: its own file under the data folder for `serve`, `:memory:` (the
 * default) for tests and `createPair`. An interface, not an alias, so the options schema can name it.
 */
export interface IdpDatabase extends Database.Database {}

/** Opens the IdP's database and brings its schema up to date (core/store/open-database.ts). */
export function openIdpDatabase(path = ':memory:'): IdpDatabase {
  return openDatabase({ owner: 'IdP', migrations: idpMigrations }, path)
}
