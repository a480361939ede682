import { SsoError } from '../../core/errors/index.ts'
import type { SpDatabase } from './database.ts'

type Outcome = { result: unknown } | { refusal: SsoError }

/** One transaction function per database (better-sqlite3 builds four wrappers for each). */
const transactions = new WeakMap<SpDatabase, (work: () => unknown) => Outcome>()

/**
 * Runs `work` in one BEGIN IMMEDIATE transaction, so the writes of a sign-in (replay record,
 * contact, session) reach the database in one commit instead of one each: a commit is most of
 * what a write costs. A refusal (SsoError) changes nothing else: what `work` wrote before it is
 * committed all the same, as when each write committed on its own (a Response refused for a
 * missing attribute stays consumed), and then it is thrown. Any other error rolls back. The
 * stores' own transactions inside become savepoints, each still all or nothing.
 */
export function writeTogether<T>(db: SpDatabase, work: () => T): T {
  const outcome = transactionOf(db)(work)
  if ('refusal' in outcome) throw outcome.refusal
  return outcome.result as T
}

function transactionOf(db: SpDatabase): (work: () => unknown) => Outcome {
  let transaction = transactions.get(db)
  if (transaction === undefined) {
    transaction = db.transaction((work: () => unknown): Outcome => {
      try {
        return { result: work() }
      } catch (error) {
        if (!(error instanceof SsoError)) throw error
        return { refusal: error }
      }
    }).immediate
    transactions.set(db, transaction)
  }
  return transaction
}
