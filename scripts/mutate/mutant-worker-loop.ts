import type { MessagePort } from 'node:worker_threads'
import type { WorldKeys } from '../../harness/engine/world.ts'

/** What the parent (run-mutant.ts) asks: its mutant is already written into this tree. */
export interface MutantJob {
  /** The mutated file, relative to the tree. */
  file: string
  rule: string
}

/** What the worker answers for one job. */
export type MutantAnswer =
  | { kind: 'killed'; by: string; runs: number }
  | { kind: 'survived'; runs: number }
  | { kind: 'invalid'; reason: string }

type Runner = typeof import('../../harness/engine/runner.ts')

/**
 * The mutant worker's loop (mutant-worker.mjs starts it): loads the harness once, then for each
 * job reloads the mutated file and its importers only (fresh-modules-hooks.mjs) and runs the
 * rule's scenarios in this thread with the http driver, stopping at the first failure.
 */
export async function serve(root: URL, hooks: MessagePort): Promise<void> {
  const runnerUrl = new URL('harness/engine/runner.ts', root).href
  const baseline = (await import(runnerUrl)) as Runner
  const keys: WorldKeys = await baseline.createRunKeys()
  let generation = 0
  const ask = <T>(message: object) =>
    new Promise<T>((resolve) => {
      hooks.once('message', resolve)
      hooks.postMessage(message)
    })
  process.on('message', async (job: MutantJob) => {
    generation += 1
    const url = new URL(job.file, root).href
    await ask({ type: 'stale', generation, url })
    const answer = await runJob(runnerUrl, job, keys)
    const { loaded } = await ask<{ loaded: boolean }>({ type: 'loaded', url })
    process.send?.(
      loaded || answer.kind === 'invalid'
        ? answer
        : { kind: 'invalid', reason: `the rule's scenarios never load ${job.file}` },
    )
  })
  hooks.unref()
  process.send?.({ ready: true })
}

async function runJob(runnerUrl: string, job: MutantJob, keys: WorldKeys): Promise<MutantAnswer> {
  let runner: Runner
  try {
    runner = (await import(runnerUrl)) as Runner
  } catch (error) {
    const first = String((error as Error).message ?? error).split('\n')[0]
    return { kind: 'invalid', reason: `the mutated code does not load: ${first}` }
  }
  const stop = new AbortController()
  let by: string | undefined
  let runs = 0
  const { report } = await runner.runScenarios({
    sources: [],
    driver: 'http',
    seed: '1',
    workers: 1,
    rules: [job.rule],
    keys,
    signal: stop.signal,
    onResult: (result) => {
      runs += 1
      if (result.status !== 'passed' && by === undefined) {
        by = result.id
        stop.abort()
      }
    },
  })
  if (by !== undefined) return { kind: 'killed', by, runs }
  if (report.summary.total === 0) return { kind: 'invalid', reason: 'no scenario proves the rule' }
  return { kind: 'survived', runs }
}
