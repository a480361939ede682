import { describe, expect, it } from 'vitest'
import { builtInCatalogue, loadScenarios } from './load.ts'
import { planRuns } from './plan.ts'
import type { ScenarioOutcome } from './run-scenario.ts'
import { runScenarios } from './runner.ts'
import { timedOutOutcome, withinLimit } from './watchdog.ts'

const [run] = planRuns(loadScenarios([builtInCatalogue]), { driver: 'http', tags: ['session'] })
if (!run) throw new Error('the catalogue has no session scenario')

describe('the per-run watchdog of ssoproof run', () => {
  it('fails a run that never settles with SCENARIO_TIMEOUT, naming the limit', async () => {
    const outcome = await withinLimit(new Promise<ScenarioOutcome>(() => {}), run, 20, 'http')
    expect(outcome.result).toMatchObject({ id: run.id, status: 'failed', driver: 'http' })
    expect(outcome.result.failure?.message).toMatch(/^SCENARIO_TIMEOUT: .* within 0 s/)
    expect(outcome.result.steps).toHaveLength(1)
  })

  it('hands a run that settles in time its own outcome', async () => {
    const own = timedOutOutcome(run, 5, 'browser')
    expect(await withinLimit(Promise.resolve(own), run, 60_000, 'http')).toBe(own)
  })

  it('ends a stuck worker, records its run, and goes on with the rest in a new worker', async () => {
    const { report } = await runScenarios({
      sources: [],
      driver: 'http',
      seed: 'watchdog-test',
      tags: ['session'],
      grep: `^${run.scenario.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `,
      workers: 2,
      runsPerWorker: 1,
      runTimeoutMs: 1,
    })
    expect(report.summary.total).toBeGreaterThanOrEqual(2)
    expect(report.summary.interrupted).toBeUndefined()
    expect(report.scenarios.map((result) => result.failure?.message.split(':')[0])).toEqual(
      report.scenarios.map(() => 'SCENARIO_TIMEOUT'),
    )
    // Each ended worker is replaced by a fresh one that loads the engine again: seconds on a quiet
    // machine, minutes at load 30.
  }, 600_000)
})
