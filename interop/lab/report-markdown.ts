import type { CellResult, LabReport } from './report.ts'

const mark = { passed: '✓', failed: '✗' } as const

/**
 * The interop matrix as Markdown: one row per peer, one column per flow, ✓ or ✗ in each cell
 * that exists (– where the flow does not apply), then each failure in a line.
 */
export function renderMatrix(report: LabReport): string {
  const flows = unique(report.cells.map((cell) => cell.flow))
  const present = new Set(report.cells.map((cell) => cell.row))
  const rows = report.rows.filter((row) => present.has(row.id))
  const versions = new Map(report.peers.map((peer) => [peer.id, peer.version]))
  const byKey = new Map(report.cells.map((cell) => [`${cell.row}\u0000${cell.flow}`, cell]))
  const lines = [
    `| peer | ${flows.join(' | ')} |`,
    `| --- | ${flows.map(() => ':---:').join(' | ')} |`,
    ...rows.map((row) => {
      const marks = flows.map((flow) => {
        const cell = byKey.get(`${row.id}\u0000${flow}`)
        return cell ? mark[cell.status] : '–'
      })
      const version = versions.get(row.versionOf ?? row.id)
      return `| ${version ? `${row.title} (${version})` : row.title} | ${marks.join(' | ')} |`
    }),
  ]
  const { passed, failed, total } = report.summary
  lines.push('', `${passed} of ${total} cells passed${failed > 0 ? `, ${failed} failed` : ''}.`)
  const failures = report.cells.filter((cell) => cell.status === 'failed')
  if (failures.length > 0) {
    lines.push('', ...failures.map((cell) => `- ✗ \`${cell.id}\`: ${oneLine(cell)}`))
  }
  return `${lines.join('\n')}\n`
}

function oneLine(cell: CellResult): string {
  return (cell.failure ?? 'failed').replace(/\s+/g, ' ').slice(0, 200)
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
