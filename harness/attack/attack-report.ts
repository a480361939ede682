import { packageVersion } from '../../core/package/index.ts'
import { type RunReport, reportSchemaVersion, type ScenarioResult } from '../../reports/model.ts'
import { type Severity, severities } from './severity.ts'

/**
 * The attack's results as the same report `ssoproof run` writes (JSON, JUnit, HTML, Markdown):
 * one result per case, failed when the SP accepted a forged message or refused a valid one.
 * The findings (failed results) come first, gravest first (bypass, hardening, info), then the
 * rest in the order they ran; the summary counts the findings by severity.
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
  const findings = findingsOf(options.results)
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
      findings: Object.fromEntries(
        severities.map((severity) => [
          severity,
          findings.filter((f) => severityIn(f) === severity).length,
        ]),
      ) as Record<Severity, number>,
    },
    scenarios: [...findings, ...options.results.filter((result) => result.status === 'passed')],
    rules: [],
  }
}

/** The failed results, gravest first, in run order within a severity. */
export function findingsOf(results: ScenarioResult[]): ScenarioResult[] {
  const failed = results.filter((result) => result.status === 'failed')
  return severities.flatMap((severity) =>
    failed.filter((result) => severityIn(result) === severity),
  )
}

function severityIn(result: ScenarioResult): Severity {
  return result.attack?.severity ?? 'info'
}
