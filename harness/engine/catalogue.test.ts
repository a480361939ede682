import { describe, expect, it } from 'vitest'
import type { ScenarioResult } from '../../reports/model.ts'
import { runScenarios } from './runner.ts'

function explain(result: ScenarioResult): string {
  const failure = result.failure
  return `${result.id} (${result.file}) step ${failure?.step} "${failure?.text}": ${failure?.message}\n  expected ${failure?.expected}\n  actual   ${failure?.actual}`
}

describe('the built-in catalogue with the http driver', () => {
  // The whole catalogue in one thread: its time grows with the catalogue, past the 30 s default.
  it('passes every scenario, each having exercised the real IdP and SP', async () => {
    const { report } = await runScenarios({
      sources: [],
      driver: 'http',
      seed: 'catalogue-test',
      workers: 1,
    })
    const failed = report.scenarios.filter((result) => result.status === 'failed').map(explain)
    expect(failed).toEqual([])
    expect(report.summary.total).toBeGreaterThanOrEqual(16)
    expect(report.summary.passed).toBe(report.summary.total)

    for (const result of report.scenarios) {
      const parties = new Set(
        result.steps.flatMap((step) => step.trace.map((entry) => entry.party)),
      )
      expect(parties, result.id).toContain('sp')
      const signsIn = result.steps.some((step) => step.kind === 'log in')
      if (signsIn) expect(parties, result.id).toContain('idp')
      expect(
        result.steps.every((step) => step.status === 'passed'),
        result.id,
      ).toBe(true)
    }

    // Virtual time: the 48-hour scenarios take milliseconds, not days.
    const longOnes = report.scenarios.filter((result) => result.tags.includes('virtual-time'))
    expect(longOnes.length).toBeGreaterThanOrEqual(3)
    for (const result of longOnes) expect(result.durationMs, result.id).toBeLessThan(1000)

    // Rules coverage names each rule once and lists the ones without a scenario.
    expect(report.rules.length).toBe(report.summary.rulesCovered + report.summary.rulesUncovered)
    const covered = report.rules.find((rule) => rule.id === 'session-inactivity-expiry')
    expect(covered?.status).toBe('covered')
    expect(covered?.scenarios).toContain('session-expires-after-48h-inactivity [saml-post]')
  }, 180_000)
})

describe('worker threads', () => {
  it('give the same verdicts as one thread, with every run done exactly once', async () => {
    const common = { sources: [], driver: 'http' as const, seed: 'workers-test', tags: ['session'] }
    const single = await runScenarios({ ...common, workers: 1 })
    const parallel = await runScenarios({ ...common, workers: 2, runsPerWorker: 1 })
    expect(parallel.report.options.workers).toBe(2)
    const verdicts = (report: typeof single.report) =>
      report.scenarios.map((result) => `${result.id}: ${result.status}`)
    expect(verdicts(parallel.report)).toEqual(verdicts(single.report))
    expect(single.report.summary.total).toBeGreaterThanOrEqual(4)
    expect(parallel.report.summary.failed).toBe(0)
  })
})
