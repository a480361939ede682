import { SsoError } from '../../core/errors/index.ts'
import type { RunReport } from '../../reports/model.ts'
import { buildRunReport } from './report.ts'
import { loadRules } from './rules.ts'

export interface ReportSource {
  /** Where it was read from, for errors. */
  file: string
  report: RunReport
}

/**
 * One report from the reports of several `ssoproof run --shard i/n` runs (several CI machines),
 * as Playwright's merge-reports does: every result once, the totals and the coverage tables
 * recomputed over all of them. The merged run started when the first shard did and took as long
 * as the longest (shards run side by side). A result that two reports hold is refused: a shard
 * given twice, or runs that overlap, would count it twice.
 */
export function mergeRunReports(sources: ReportSource[], toolVersion: string): RunReport {
  const first = sources[0]
  if (!first) throw invalid('no reports to merge', {})
  const seen = new Map<string, string>()
  for (const { file, report } of sources) {
    if (report.options.driver !== first.report.options.driver) {
      throw invalid(
        `${file} ran the ${report.options.driver} driver, ${first.file} the ${first.report.options.driver} driver`,
        { file },
      )
    }
    for (const result of report.scenarios) {
      const earlier = seen.get(result.id)
      if (earlier !== undefined) {
        throw invalid(
          `"${result.id}" is in both ${earlier} and ${file}: give each shard's report once`,
          { file, run: result.id },
        )
      }
      seen.set(result.id, file)
    }
  }
  const reports = sources.map((source) => source.report)
  const union = (values: string[][]) => [...new Set(values.flat())]
  const seeds = union(reports.map((report) => [report.options.seed]))
  const greps = union(reports.map((report) => (report.options.grep ? [report.options.grep] : [])))
  return buildRunReport({
    results: reports.flatMap((report) => report.scenarios),
    toolVersion,
    startedAt: reports.map((report) => report.startedAt).sort()[0] ?? first.report.startedAt,
    durationMs: Math.max(...reports.map((report) => report.durationMs)),
    options: {
      driver: first.report.options.driver,
      seed: seeds.join(','),
      workers: Math.max(...reports.map((report) => report.options.workers)),
      ...(greps.length > 0 ? { grep: greps.join(' | ') } : {}),
      tags: union(reports.map((report) => report.options.tags)),
      protocols: union(reports.map((report) => report.options.protocols)),
      sources: union(reports.map((report) => report.options.sources)),
    },
    rules: loadRules(),
  })
}

function invalid(reason: string, evidence: Record<string, string>): SsoError {
  return new SsoError('REPORT_INVALID', 'merge-reports', reason, evidence)
}
