import { create } from 'xmlbuilder2'
import type { CellResult, LabReport } from './report.ts'

/** The run as JUnit XML: one testsuite per matrix row, one testcase per cell. */
export function renderLabJunit(report: LabReport): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: 'ssoproof interop lab',
    tests: String(report.summary.total),
    failures: String(report.summary.failed),
    errors: '0',
    time: seconds(report.durationMs),
    timestamp: report.startedAt,
  })
  const rows = new Map<string, CellResult[]>()
  for (const cell of report.cells) rows.set(cell.row, [...(rows.get(cell.row) ?? []), cell])
  for (const [row, cells] of rows) {
    const suite = root.ele('testsuite', {
      name: row,
      tests: String(cells.length),
      failures: String(cells.filter((cell) => cell.status === 'failed').length),
      errors: '0',
      skipped: '0',
      time: seconds(cells.reduce((sum, cell) => sum + cell.durationMs, 0)),
    })
    for (const cell of cells) {
      const testcase = suite.ele('testcase', {
        name: cell.id,
        classname: `interop.${cell.row}`,
        time: seconds(cell.durationMs),
      })
      if (cell.status === 'failed') {
        testcase.ele('failure', { message: clean(cell.failure ?? 'failed') }).txt(detail(cell))
      }
      const observed = cell.observations
        .map((o) => `${o.ok ? 'ok' : 'FAIL'} ${o.what}: ${o.actual}`)
        .join('\n')
      if (observed) testcase.ele('system-out').txt(clean(observed))
    }
  }
  return root.end({ prettyPrint: true })
}

function detail(cell: CellResult): string {
  const logs = cell.logs.map((log) => `--- ${log.file}\n${log.text}`)
  return clean([cell.title, cell.failure ?? '', ...logs].join('\n'))
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3)
}

// XML 1.0 cannot carry most control characters, even escaped.
function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
}
