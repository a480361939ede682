import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { LabReport } from './report.ts'
import { renderLabHtml } from './report-html.tsx'
import { renderLabJunit } from './report-junit.ts'
import { renderMatrix } from './report-markdown.ts'

/** Writes `interop.json`, `junit.xml`, `matrix.md` and `index.html` into `outDir`. */
export function writeLabReports(report: LabReport, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true })
  const files = {
    'interop.json': `${JSON.stringify(report, null, 2)}\n`,
    'junit.xml': renderLabJunit(report),
    'matrix.md': renderMatrix(report),
    'index.html': renderLabHtml(report),
  }
  return Object.entries(files).map(([name, content]) => {
    const path = join(outDir, name)
    writeFileSync(path, content)
    return path
  })
}
