import * as z from 'zod'
import { reportSchemaVersion, runReportSchema } from './model.ts'

/** Where the published JSON Schema of `report.json` lives, relative to the repository root. */
export const reportSchemaFile = 'reports/report.schema.json'

/**
 * The JSON Schema (draft 2020-12) of `report.json`, generated from `runReportSchema`; editors and
 * CI tools validate reports with it. `npm run schemas` writes it to `reportSchemaFile`.
 */
export function reportJsonSchema(): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(runReportSchema, { io: 'output' })
  return {
    $schema,
    title: `ssoproof run report, schema version ${reportSchemaVersion}`,
    description:
      'report.json as written by `ssoproof run --reporter json`; every field is described in reports/README.md.',
    ...schema,
  }
}
