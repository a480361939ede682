import { performance } from 'node:perf_hooks'

export interface VisitorsResult {
  signIns: number
  errors: number
  /** The first error's message (they are usually all alike). */
  firstError?: string
  durationMs: number
  /** Each completed sign-in's duration, ms. */
  latenciesMs: number[]
}

/**
 * `visitors` concurrent visitors, each starting its next sign-in as soon as the last ended,
 * until `more(started)` says no more are to start. Failed sign-ins are counted, not retried.
 */
export async function runVisitors(
  visitors: number,
  signIn: () => Promise<unknown>,
  more: (started: number) => boolean,
): Promise<VisitorsResult> {
  const result: VisitorsResult = { signIns: 0, errors: 0, durationMs: 0, latenciesMs: [] }
  let started = 0
  const begin = performance.now()
  const visitor = async () => {
    while (more(started)) {
      started++
      const t0 = performance.now()
      try {
        await signIn()
        result.latenciesMs.push(performance.now() - t0)
        result.signIns++
      } catch (error) {
        result.errors++
        result.firstError ??= (error as Error).message
      }
    }
  }
  await Promise.all(Array.from({ length: visitors }, visitor))
  result.durationMs = performance.now() - begin
  return result
}
