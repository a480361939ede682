import { type RunReport, runReportSchema } from './model.ts'

/**
 * `report.json`: the run, checked against `runReportSchema` on the way out so the file always
 * matches the published `reports/report.schema.json`. Keys come in the schema's order.
 */
export function renderJson(report: RunReport): string {
  return `${JSON.stringify(runReportSchema.parse(report), null, 2)}\n`
}
