import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderJson } from './json.ts'
import { runReportSchema } from './model.ts'
import { reportJsonSchema, reportSchemaFile } from './report-schema.ts'
import { sampleReport } from './test-support.ts'

const root = new URL('..', import.meta.url)

describe('renderJson', () => {
  it('writes the report as pretty JSON that the model accepts and that round-trips unchanged', () => {
    const text = renderJson(sampleReport())
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "tool": {')).toBe(true)
    expect(text.endsWith('}\n')).toBe(true)
    const parsed = JSON.parse(text)
    expect(runReportSchema.parse(parsed)).toEqual(sampleReport())
  })

  it('refuses a report the schema does not accept instead of writing it', () => {
    const report = sampleReport()
    const broken = { ...report, summary: { ...report.summary, failed: -1 } }
    expect(() => renderJson(broken)).toThrow(/summary/)
  })
})

describe(reportSchemaFile, () => {
  const published = JSON.parse(readFileSync(new URL(reportSchemaFile, root), 'utf8'))

  it('is current: regenerate it with `npm run schemas` when this fails', () => {
    expect(published).toEqual(reportJsonSchema())
  })

  it('is a draft 2020-12 schema of the versioned report', () => {
    expect(published.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(published.properties.schemaVersion).toEqual({ type: 'number', const: 1 })
    expect(published.required).toContain('scenarios')
  })
})

describe('reports/README.md', () => {
  const readme = readFileSync(new URL('reports/README.md', root), 'utf8')

  it('documents every field of report.json by its path', () => {
    const missing = fieldPaths(reportJsonSchema()).filter((path) => !readme.includes(`\`${path}\``))
    expect(missing).toEqual([])
  })
})

/** `summary.total`, `scenarios[].steps[].trace[].messages[].kind`, … for every property. */
function fieldPaths(schema: unknown, prefix = ''): string[] {
  const node = schema as { properties?: Record<string, unknown>; items?: unknown }
  if (node.items) return fieldPaths(node.items, `${prefix}[]`)
  if (!node.properties) return []
  return Object.entries(node.properties).flatMap(([name, child]) => {
    const path = prefix ? `${prefix}.${name}` : name
    return [path, ...fieldPaths(child, path)]
  })
}
