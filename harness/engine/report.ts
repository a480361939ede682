import {
  type Rule,
  type RunReport,
  reportSchemaVersion,
  type ScenarioResult,
} from '../../reports/model.ts'
import { catalogueCoverage } from './catalogue-cases.ts'
import { ruleCoverage } from './rules.ts'

export interface ReportInput {
  /** Any order; the report lists them by id. */
  results: ScenarioResult[]
  toolVersion: string
  startedAt: string
  durationMs: number
  options: RunReport['options']
  /** The rules catalogue (scenarios/rules.yaml). */
  rules: Rule[]
  /** Set when the run stopped early (Ctrl-C): how many of how many planned runs finished. */
  interrupted?: { finished: number; planned: number }
}

/**
 * The report of a run, or of several merged (`merge-reports`), from its results: the totals,
 * and the rules and security-catalogue coverage tables only when the run is about them — the
 * built-in catalogue, or scenarios that name rules or cases (then only the rules they name). A
 * user's own suite that names none is not drowned in "0 of 29 rules".
 */
export function buildRunReport(input: ReportInput): RunReport {
  const results = [...input.results].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const builtIn = input.options.sources.includes('built-in')
  // A run of some files (not the built-in catalogue) is about the rules its scenarios name: one
  // catalogue file is not listed as short of the other eighty rules.
  const named = new Set(results.flatMap((result) => result.rules))
  const rules = builtIn
    ? ruleCoverage(input.rules, results)
    : named.size > 0
      ? ruleCoverage(
          input.rules.filter((rule) => named.has(rule.id)),
          results,
        )
      : []
  const catalogue =
    builtIn || results.some((result) => (result.catalogue ?? []).length > 0)
      ? catalogueCoverage(results)
      : undefined
  const passed = results.filter((result) => result.status === 'passed').length
  return {
    schemaVersion: reportSchemaVersion,
    tool: { name: 'ssoproof', version: input.toolVersion },
    startedAt: input.startedAt,
    durationMs: input.durationMs,
    options: input.options,
    summary: {
      total: results.length,
      passed,
      failed: results.length - passed,
      rulesCovered: rules.filter((rule) => rule.status === 'covered').length,
      rulesUncovered: rules.filter((rule) => rule.status !== 'covered').length,
      ...(catalogue
        ? {
            catalogueCovered: catalogue.filter((item) => item.status !== 'uncovered').length,
            catalogueCases: catalogue.length,
          }
        : {}),
      ...(input.interrupted ? { interrupted: input.interrupted } : {}),
    },
    scenarios: results,
    rules,
    ...(catalogue ? { catalogue } : {}),
  }
}
