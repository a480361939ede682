import { performance } from 'node:perf_hooks'
import type { ScenarioResult, StepResult } from '../../reports/model.ts'
import { BrowserSet } from './drivers/browser-set.ts'
import type { Driver } from './drivers/driver.ts'
import { StepFailure } from './drivers/driver.ts'
import type { DriverHost } from './drivers/hosts.ts'
import type { PlannedRun } from './plan.ts'
import { describeStep, runStep } from './steps/index.ts'
import { createWorld, type WorldKeys } from './world.ts'

export interface RunScenarioOptions {
  host: DriverHost
  keys: WorldKeys
  /** The run's seed; each scenario derives its own from it and its id. */
  seed: string
}

export interface ScenarioOutcome {
  result: ScenarioResult
  /** Screenshot bytes by the relative path named in the result. */
  screenshots: Record<string, Uint8Array>
}

/**
 * Runs one scenario under one protocol in a fresh world: steps in order, stopping at the first
 * failure (later steps are `not-run`). Each step keeps the protocol exchanges it caused.
 */
export async function runScenario(
  run: PlannedRun,
  options: RunScenarioOptions,
): Promise<ScenarioOutcome> {
  const started = performance.now()
  const { scenario } = run
  const screenshots: Record<string, Uint8Array> = {}
  const steps: StepResult[] = []
  let failure: ScenarioResult['failure']
  let driver: Driver | undefined

  try {
    const world = createWorld({
      protocol: run.protocol,
      setup: scenario.setup,
      seed: `${options.seed}:${run.id}`,
      keys: options.keys,
      idpUrl: options.host.idpUrl,
      spUrl: options.host.spUrl,
      otherSpUrl: options.host.otherSpUrl,
    })
    // Faults that sign with keys of their own (e.g. an expired certificate) make them first.
    await world.idp.faults.ready()
    driver = await BrowserSet.start(() => options.host.open(world))
    for (const [position, step] of scenario.steps.entries()) {
      const index = position + 1
      const text = describeStep(step)
      if (failure) {
        steps.push({ index, text, kind: step.kind, status: 'not-run', durationMs: 0, trace: [] })
        continue
      }
      const stepStarted = performance.now()
      try {
        await runStep(step, world, driver)
        steps.push({
          index,
          text,
          kind: step.kind,
          status: 'passed',
          durationMs: performance.now() - stepStarted,
          trace: world.trace.drain(),
        })
      } catch (error) {
        const detail = failureDetail(error)
        const result: StepResult = {
          index,
          text,
          kind: step.kind,
          status: 'failed',
          durationMs: performance.now() - stepStarted,
          message: detail.message,
          ...(detail.expected !== undefined ? { expected: detail.expected } : {}),
          ...(detail.actual !== undefined ? { actual: detail.actual } : {}),
          trace: world.trace.drain(),
        }
        const png = await driver.screenshot()
        if (png) {
          const path = `screenshots/${fileSafe(run.id)}-step-${index}.png`
          screenshots[path] = png
          result.screenshot = path
        }
        steps.push(result)
        failure = {
          step: index,
          text,
          message: detail.message,
          ...(detail.expected !== undefined ? { expected: detail.expected } : {}),
          ...(detail.actual !== undefined ? { actual: detail.actual } : {}),
        }
      }
    }
  } catch (error) {
    // The world itself could not be built or the driver not opened: a failure of step 1.
    const detail = failureDetail(error)
    failure = { step: 1, text: 'set up the IdP and SP', message: detail.message }
    steps.push({
      index: 1,
      text: 'set up the IdP and SP',
      kind: 'setup',
      status: 'failed',
      durationMs: performance.now() - started,
      message: detail.message,
      trace: [],
    })
  } finally {
    await driver?.close().catch(() => undefined)
  }

  return {
    result: {
      id: run.id,
      scenarioId: scenario.id,
      title: scenario.title,
      file: scenario.file,
      protocol: run.protocol,
      driver: options.host.name,
      tags: scenario.tags,
      rules: scenario.rules,
      ...(scenario.negativeRules.length > 0 ? { negativeRules: scenario.negativeRules } : {}),
      catalogue: scenario.catalogue,
      status: failure ? 'failed' : 'passed',
      durationMs: performance.now() - started,
      steps,
      ...(failure ? { failure } : {}),
    },
    screenshots,
  }
}

function failureDetail(error: unknown): { message: string; expected?: string; actual?: string } {
  if (error instanceof StepFailure) {
    return {
      message: error.message,
      ...(error.expected !== undefined ? { expected: error.expected } : {}),
      ...(error.actual !== undefined ? { actual: error.actual } : {}),
    }
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return { message: `the step crashed: ${message}` }
}

function fileSafe(text: string): string {
  return text.replace(/[^a-zA-Z0-9-]+/g, '_').replace(/^_+|_+$/g, '')
}
