import { scenarioFileJsonSchema } from '../harness/engine/scenario-schema.ts'
import { reportJsonSchema, reportSchemaFile } from '../reports/report-schema.ts'
import { campaignsFileJsonSchema, campaignsSchemaFile } from '../sp/campaigns/config-file.ts'

/** Every JSON Schema the repository publishes, with the file it lives in (from the root). */
export const publishedSchemas = [
  { file: reportSchemaFile, build: reportJsonSchema },
  { file: 'scenarios/scenario.schema.json', build: scenarioFileJsonSchema },
  { file: campaignsSchemaFile, build: campaignsFileJsonSchema },
]
