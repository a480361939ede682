import { SsoError } from '../../core/errors/index.ts'
import type { SpDatabase } from './database.ts'

/**
 * Runs `work` in one BEGIN IMMEDIATE transaction, so the writes of a sign-in (replay record,
 * contact, session) reach the database in one commit instead of one each: a commit is most of
 * what a write costs. A refusal (SsoError) changes nothing else: what `work` wrote before it is
 * committed all the same, as when each write committed on its own (a Response refused for a
 * missing attribute stays consumed), and then it is thrown. Any other error rolls back. The
 * stores' own transactions inside become savepoints, each still all or nothing.
 */
export function writeTogether<T>(db: SpDatabase, work: () => T): T {
  let refusal: SsoError | undefined
  const result = db
    .transaction(() => {
      try {
        return work()
      } catch (error) {
        if (!(error instanceof SsoError)) throw error
        refusal = error
        return undefined
      }
    })
    .immediate()
  if (refusal) throw refusal
  return result as T
}
