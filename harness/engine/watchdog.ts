import type { PlannedRun } from './plan.ts'
import type { ScenarioOutcome } from './run-scenario.ts'

/** How long one scenario run may take before the watchdog stops it (`--run-timeout`), ms. */
export const defaultRunTimeoutMs = 120_000

/**
 * The outcome of a run the watchdog stopped: failed with SCENARIO_TIMEOUT, its one step naming
 * the limit. The run's own steps are unknown (it never reported), so none is listed.
 */
export function timedOutOutcome(
  run: PlannedRun,
  limitMs: number,
  driver: 'http' | 'browser',
): ScenarioOutcome {
  const { scenario } = run
  const text = `finish within ${Math.round(limitMs / 1000)} s`
  const code = 'SCENARIO_TIMEOUT'
  const message = `${code}: the run did not finish within ${Math.round(limitMs / 1000)} s; it was stopped and the run went on with the next`
  return {
    result: {
      id: run.id,
      scenarioId: scenario.id,
      title: scenario.title,
      file: scenario.file,
      protocol: run.protocol,
      driver,
      tags: scenario.tags,
      rules: scenario.rules,
      catalogue: scenario.catalogue,
      status: 'failed',
      durationMs: limitMs,
      steps: [
        {
          index: 1,
          text,
          kind: 'setup',
          status: 'failed',
          durationMs: limitMs,
          message,
          trace: [],
        },
      ],
      failure: { step: 1, text, message },
    },
    screenshots: {},
  }
}

/** `work`, or the watchdog's outcome when it has not settled within `limitMs`. */
export async function withinLimit(
  work: Promise<ScenarioOutcome>,
  run: PlannedRun,
  limitMs: number,
  driver: 'http' | 'browser',
): Promise<ScenarioOutcome> {
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<ScenarioOutcome>((resolve) => {
    timer = setTimeout(() => resolve(timedOutOutcome(run, limitMs, driver)), limitMs)
  })
  try {
    return await Promise.race([work, limit])
  } finally {
    clearTimeout(timer)
  }
}
