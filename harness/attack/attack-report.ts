import { packageVersion } from '../../core/package/index.ts'
import { type RunReport, reportSchemaVersion, type ScenarioResult } from '../../reports/model.ts'

/**
 * The attack's results as the same report `ssoproof run` writes (JSON, JUnit, HTML, Markdown):
 * one result per case, failed when the SP accepted a forged message or refused a valid one.
 * No rules: they describe the reference SP, not the one attacked.
 */
export function attackReport(options: {
  results: ScenarioResult[]
  startedAt: string
  durationMs: number
  protocol: string
  sources: string[]
}): RunReport {
  const passed = options.results.filter((result) => result.status === 'passed').length
  return {
    schemaVersion: reportSchemaVersion,
    tool: { name: 'ssoproof', version: packageVersion() },
    startedAt: options.startedAt,
    durationMs: options.durationMs,
    options: {
      driver: 'http',
      seed: 'attack',
      workers: 1,
      tags: ['attack'],
      protocols: [options.protocol],
      sources: options.sources,
    },
    summary: {
      total: options.results.length,
      passed,
      failed: options.results.length - passed,
      rulesCovered: 0,
      rulesUncovered: 0,
    },
    scenarios: options.results,
    rules: [],
  }
}
