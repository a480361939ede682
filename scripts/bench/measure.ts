import { Bench } from 'tinybench'

/**
 * How long a figure may measure. `full` time-boxes every task; `smoke` runs each a few times,
 * only to prove the figure code still works (its numbers mean nothing).
 */
export interface Budget {
  mode: 'full' | 'smoke'
  /** Measured time per task and round (full mode), ms. */
  taskMs: number
  /** Warm-up per task and round (full mode), ms. */
  warmupMs: number
}

/** Issue 22: at least 5 s per job (and 200 runs: `minimumRuns`), so goals do not flip between runs. */
export const fullBudget: Budget = { mode: 'full', taskMs: 5000, warmupMs: 200 }

/** The fewest runs a full measurement takes of each job, however long they take. */
export const minimumRuns = 200
export const smokeBudget: Budget = { mode: 'smoke', taskMs: 0, warmupMs: 0 }

export interface Rate {
  /** Completed operations per second: runs over the summed time of the runs. */
  perSecond: number
  runs: number
  meanMs: number
  /** The worst p99 of the rounds. */
  p99Ms: number
}

export type Job = () => unknown

/** Rounds of a full measurement: short, alternating slices share the machine's drift. */
const fullRounds = 5

/**
 * Rates of several jobs measured side by side with tinybench, in rounds that alternate the
 * order (A B, B A, …), so that a machine slowing down or speeding up hits every job alike.
 * Only the first round warms up. Errors are thrown, never counted as fast runs.
 */
export async function measureRates<Name extends string>(
  jobs: Record<Name, Job>,
  budget: Budget,
  /** A job that consumes something per run (a Response the ACS records): exactly this many runs. */
  fixed?: { samples: number },
): Promise<Record<Name, Rate>> {
  const names = Object.keys(jobs) as Name[]
  const totals = new Map<Name, { runs: number; timeMs: number; p99Ms: number }>()
  const rounds = budget.mode === 'full' ? fullRounds : 1
  for (let round = 0; round < rounds; round++) {
    const perRound = Math.ceil((fixed?.samples ?? minimumRuns) / rounds)
    const bench = new Bench(
      budget.mode === 'smoke'
        ? { time: 0, iterations: fixed?.samples ?? 3, warmup: false, throws: true }
        : fixed
          ? {
              time: 0,
              iterations: perRound,
              warmup: round === 0,
              warmupTime: 0,
              warmupIterations: 5,
              throws: true,
            }
          : {
              time: budget.taskMs / rounds,
              iterations: perRound,
              warmup: round === 0,
              warmupTime: budget.warmupMs,
              warmupIterations: 1,
              throws: true,
            },
    )
    for (const name of round % 2 === 0 ? names : [...names].reverse()) bench.add(name, jobs[name])
    for (const task of await bench.run()) {
      const result = task.result
      if (result.state !== 'completed') {
        throw new Error(`bench task ${task.name} ended ${result.state}`)
      }
      const total = totals.get(task.name as Name) ?? { runs: 0, timeMs: 0, p99Ms: 0 }
      total.runs += task.runs
      total.timeMs += result.totalTime
      total.p99Ms = Math.max(total.p99Ms, result.latency.p99)
      totals.set(task.name as Name, total)
    }
  }
  const rates = {} as Record<Name, Rate>
  for (const name of names) {
    const total = totals.get(name) ?? { runs: 0, timeMs: 0, p99Ms: 0 }
    rates[name] = {
      perSecond: total.timeMs > 0 ? (total.runs * 1000) / total.timeMs : 0,
      runs: total.runs,
      meanMs: total.runs > 0 ? total.timeMs / total.runs : 0,
      p99Ms: total.p99Ms,
    }
  }
  return rates
}

/** The q-quantile (0..1) of `values`, nearest rank; 0 for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)))
  return sorted[rank - 1] ?? 0
}
