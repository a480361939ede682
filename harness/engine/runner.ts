import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { createManualClock } from '../../core/clock/index.ts'
import { type Credential, createCredential, loadCredential } from '../../core/keys/index.ts'
import { packageCacheDir, packageVersion } from '../../core/package/index.ts'
import { makeFolder } from '../../core/store/make-folder.ts'
import type { RunReport, ScenarioResult } from '../../reports/model.ts'
import { createBrowserHost, createHttpHost } from './drivers/hosts.ts'
import { builtInCatalogue, loadScenarios, scenarioError } from './load.ts'
import { type PlanFilters, type PlannedRun, planRuns } from './plan.ts'
import { buildRunReport } from './report.ts'
import { loadRules, unknownRuleIssues } from './rules.ts'
import { runScenario, type ScenarioOutcome } from './run-scenario.ts'
import { defaultRunTimeoutMs, timedOutOutcome, withinLimit } from './watchdog.ts'
import type { WorldKeys } from './world.ts'

/** Below this many runs per worker, another worker thread costs more than it saves. */
const runsPerWorker = 60

export interface RunOptions {
  /** Scenario files and folders; empty runs the built-in catalogue. */
  sources: string[]
  driver: 'http' | 'browser'
  seed: string
  /** Parallel worker threads (1: run in this thread). */
  workers: number
  grep?: string | undefined
  tags?: string[]
  /** Only scenarios that prove one of these rule ids (`npm run mutate` runs a rule's only). */
  rules?: string[]
  protocols?: string[]
  shard?: { index: number; total: number } | undefined
  cwd?: string
  /** Called as each scenario finishes, in finishing order. */
  onResult?: (result: ScenarioResult, finished: number, total: number) => void
  /** Called once the runs are planned, before any starts. */
  onPlan?: (runs: PlannedRun[], workers: number) => void
  /** Fewest runs that justify another worker thread (default 60). */
  runsPerWorker?: number
  /**
   * The watchdog: a run still going after this long fails with SCENARIO_TIMEOUT and the run goes
   * on (its worker thread is ended and replaced; in this thread it is left behind). Default 120 s.
   */
  runTimeoutMs?: number
  /** Keys for the IdP and SP; generated for the run when absent. */
  keys?: WorldKeys
  /**
   * Stops the run early (Ctrl-C): no further scenario starts, those under way finish, and the
   * report holds what finished, with `summary.interrupted`.
   */
  signal?: AbortSignal
}

export interface RunOutput {
  report: RunReport
  /** Screenshot bytes by the path the report names. */
  screenshots: Record<string, Uint8Array>
}

/** Loads, plans and runs scenarios, in parallel workers when asked, and builds the report. */
export async function runScenarios(options: RunOptions): Promise<RunOutput> {
  const started = performance.now()
  const startedAt = new Date(performance.timeOrigin + started).toISOString()
  const cwd = options.cwd ?? process.cwd()
  const sources = options.sources.length > 0 ? options.sources : [builtInCatalogue]
  const scenarios = loadScenarios(sources, cwd)
  const rules = loadRules()
  const ruleIssues = unknownRuleIssues(scenarios, rules)
  if (ruleIssues.length > 0) throw scenarioError(ruleIssues)
  const filters: PlanFilters = {
    driver: options.driver,
    grep: options.grep ? new RegExp(options.grep) : undefined,
    tags: options.tags ?? [],
    rules: options.rules ?? [],
    protocols: options.protocols ?? [],
    shard: options.shard,
  }
  const runs = planRuns(scenarios, filters)
  const keys = options.keys ?? (await createRunKeys())
  // A worker thread costs about a second to start (it loads the IdP, the SP and tsx), so small
  // runs use fewer workers than allowed: one per `runsPerWorker` runs, at most `options.workers`.
  const perWorker = options.runsPerWorker ?? runsPerWorker
  const workers = Math.max(1, Math.min(options.workers, Math.ceil(runs.length / perWorker)))
  options.onPlan?.(runs, workers)

  const runTimeoutMs = options.runTimeoutMs ?? defaultRunTimeoutMs
  const outcomes: ScenarioOutcome[] = []
  const finish = (outcome: ScenarioOutcome) => {
    outcomes.push(outcome)
    options.onResult?.(outcome.result, outcomes.length, runs.length)
  }
  if (workers <= 1) {
    const host = options.driver === 'browser' ? await createBrowserHost() : createHttpHost()
    try {
      for (const run of runs) {
        if (options.signal?.aborted) break
        const work = runScenario(run, { host, keys, seed: options.seed })
        finish(await withinLimit(work, run, runTimeoutMs, options.driver))
      }
    } finally {
      await host.close()
    }
  } else {
    await runInWorkers(runs, workers, {
      sources,
      cwd,
      driver: options.driver,
      seed: options.seed,
      keys: { idp: pemOf(keys.idp), sp: pemOf(keys.sp) },
      finish,
      signal: options.signal,
      runTimeoutMs,
    })
  }

  const screenshots = Object.assign({}, ...outcomes.map((outcome) => outcome.screenshots))
  const report = buildRunReport({
    results: outcomes.map((outcome) => outcome.result),
    toolVersion: packageVersion(),
    startedAt,
    durationMs: performance.now() - started,
    options: {
      driver: options.driver,
      seed: options.seed,
      workers,
      ...(options.shard ? { shard: options.shard } : {}),
      ...(options.grep ? { grep: options.grep } : {}),
      tags: options.tags ?? [],
      ...(options.rules && options.rules.length > 0 ? { rules: options.rules } : {}),
      protocols: options.protocols ?? [],
      sources: options.sources.length > 0 ? options.sources : ['built-in'],
    },
    // With --rule the coverage table is about the rules asked for, not the whole catalogue.
    rules:
      options.rules && options.rules.length > 0
        ? rules.filter((rule) => options.rules?.includes(rule.id))
        : rules,
    ...(outcomes.length < runs.length
      ? { interrupted: { finished: outcomes.length, planned: runs.length } }
      : {}),
  })
  return { report, screenshots }
}

/**
 * The IdP and SP credentials of scenario runs: derived from a fixed seed, so every run on every
 * machine signs with the same keys and certificates and a run repeats exactly with its `--seed`
 * (which drives the IDs). Deriving costs about a second per key, so they are cached under
 * node_modules/.cache/ssoproof (packageCacheDir); the cache only saves time, it never changes a key.
 */
export const runKeySeed = 'ssoproof-run-keys-v1'

export async function createRunKeys(seed = runKeySeed): Promise<WorldKeys> {
  const cacheDir = packageCacheDir()
  const cacheFile = join(
    cacheDir,
    `run-keys-${createHash('sha256').update(seed).digest('hex').slice(0, 32)}.json`,
  )
  try {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as { idp: PemPair; sp: PemPair }
    return { idp: loadCredential(cached.idp), sp: loadCredential(cached.sp) }
  } catch {
    // not cached yet (or unreadable): derive
  }
  const clock = createManualClock('2029-01-01T00:00:00Z')
  const idp = await createCredential({
    commonName: 'ssoproof scenario IdP',
    clock,
    seed: `${seed}:idp`,
  })
  const sp = await createCredential({
    commonName: 'ssoproof scenario SP',
    clock,
    seed: `${seed}:sp`,
  })
  try {
    makeFolder(cacheDir, 0o777)
    writeFileSync(cacheFile, JSON.stringify({ idp: pemOf(idp), sp: pemOf(sp) }), { mode: 0o600 })
  } catch {
    // a read-only tree just means no cache
  }
  return { idp, sp }
}

export function defaultWorkers(driver: 'http' | 'browser'): number {
  return driver === 'browser' ? 1 : Math.min(4, availableParallelism())
}

// --- worker threads -------------------------------------------------------------------------

export interface WorkerData {
  sources: string[]
  cwd: string
  driver: 'http' | 'browser'
  seed: string
  keys: { idp: PemPair; sp: PemPair }
}

interface PemPair {
  privateKeyPem: string
  certificatePem: string
}

export type WorkerRequest = { type: 'run'; id: string } | { type: 'close' }
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'result'; outcome: ScenarioOutcome }
  | { type: 'error'; id: string; message: string }

function pemOf(credential: Credential): PemPair {
  return { privateKeyPem: credential.privateKeyPem, certificatePem: credential.certificatePem }
}

/**
 * Hands runs to `count` worker threads, each taking the next one as soon as it is free. A run
 * past `runTimeoutMs` is recorded as timed out, its worker ended and a new one started for the
 * rest of the queue.
 */
async function runInWorkers(
  runs: PlannedRun[],
  count: number,
  options: WorkerData & {
    finish: (outcome: ScenarioOutcome) => void
    signal?: AbortSignal | undefined
    runTimeoutMs: number
  },
): Promise<void> {
  const { finish, signal, runTimeoutMs, ...data } = options
  const queue = [...runs]
  // From a checkout the worker registers tsx first (worker.mjs); compiled, it is plain JS.
  const workerUrl = new URL(
    import.meta.url.endsWith('.ts') ? './worker.mjs' : './worker-loop.js',
    import.meta.url,
  )
  const one = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(workerUrl, { workerData: data satisfies WorkerData })
      let current: PlannedRun | undefined
      let watchdog: NodeJS.Timeout | undefined
      let stuck = false
      const next = () => {
        clearTimeout(watchdog)
        current = signal?.aborted ? undefined : queue.shift()
        if (!current) {
          worker.postMessage({ type: 'close' } satisfies WorkerRequest)
          return
        }
        const run = current
        worker.postMessage({ type: 'run', id: run.id } satisfies WorkerRequest)
        watchdog = setTimeout(() => {
          stuck = true
          finish(timedOutOutcome(run, runTimeoutMs, data.driver))
          void worker.terminate()
        }, runTimeoutMs)
      }
      worker.on('message', (message: WorkerReply) => {
        if (stuck) return
        if (message.type === 'result') finish(message.outcome)
        if (message.type === 'error') {
          reject(new Error(message.message))
          return
        }
        next()
      })
      worker.on('error', (error) => {
        if (!stuck) reject(error)
      })
      worker.on('exit', (code) => {
        clearTimeout(watchdog)
        if (stuck) one().then(resolve, reject)
        else if (current && code !== 0) {
          reject(
            new Error(`a scenario worker stopped (exit code ${code}) while running ${current.id}`),
          )
        } else resolve()
      })
    })
  await Promise.all(Array.from({ length: count }, one))
}
