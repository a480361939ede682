import type fc from 'fast-check'

/**
 * Seed and run count of every fuzz property. Under `npm test`: a fixed seed and each property's
 * own small run count. `npm run fuzz` sets FUZZ_RUNS (runs per property) and, without FUZZ_SEED,
 * draws a seed and prints it; FUZZ_SEED=<n> replays a run exactly.
 */
const fixedSeed = 20_300_101
const runsFromEnvironment = positiveInteger('FUZZ_RUNS')
const seedFromEnvironment = integer('FUZZ_SEED')

export const fuzzSeed =
  seedFromEnvironment ??
  (runsFromEnvironment === undefined ? fixedSeed : Math.floor(Math.random() * 2 ** 31))

if (runsFromEnvironment !== undefined) {
  console.info(
    `fuzz seed ${fuzzSeed}, ${runsFromEnvironment} runs per property (replay: FUZZ_SEED=${fuzzSeed} npm run fuzz)`,
  )
}

/** fast-check parameters: `runs` under `npm test`, FUZZ_RUNS when set. */
export function fuzzParameters(runs: number): fc.Parameters<unknown> {
  return { seed: fuzzSeed, numRuns: runsFromEnvironment ?? runs }
}

/** In a long run (FUZZ_RUNS), prints which codes a property's answers carried and how often. */
export function reportTally(what: string, tally: { toString(): string }): void {
  if (runsFromEnvironment !== undefined) console.info(`${what}: ${tally}`)
}

/**
 * The time one fuzz test may take. Under `npm test` the run count bounds the work, so this only
 * catches a hang: 10 minutes (a few hundred runs took over 3 minutes on two cores at load 40).
 * Unbounded for long runs.
 */
export const fuzzTimeoutMs = runsFromEnvironment === undefined ? 600_000 : 24 * 3_600_000

function positiveInteger(name: string): number | undefined {
  const value = integer(name)
  if (value !== undefined && value <= 0) throw new Error(`${name} must be a positive integer`)
  return value
}

function integer(name: string): number | undefined {
  const text = process.env[name]
  if (text === undefined || text === '') return undefined
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, not "${text}"`)
  return value
}
