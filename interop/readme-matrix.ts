import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { LabCommand } from './lab/options.ts'
import type { LabReport } from './lab/report.ts'
import { renderMatrix } from './lab/report-markdown.ts'

export const readmePath = fileURLToPath(new URL('../README.md', import.meta.url))
export const matrixStart =
  '<!-- interop-matrix:start (written by npm run interop -- --write-readme) -->'
export const matrixEnd = '<!-- interop-matrix:end -->'

/** The matrix section of the README: the text between the two markers. */
export function readmeMatrix(readme: string): string {
  const start = readme.indexOf(matrixStart)
  const end = readme.indexOf(matrixEnd)
  if (start === -1 || end < start) throw new Error('README.md has no interop matrix markers')
  return readme.slice(start + matrixStart.length, end).trim()
}

/** The section as a run writes it: the matrix, then when and how long. */
export function matrixSection(report: LabReport): string {
  const minutes = (report.durationMs / 60_000).toFixed(1)
  return `${renderMatrix(report).trim()}\n\nLast whole run: ${report.startedAt.slice(0, 10)}, ${minutes} min on 2 cores.`
}

/** Replaces the README's matrix with this run's; only a run of every cell may. */
export function writeReadmeMatrix(
  report: LabReport,
  command: LabCommand,
  log: (line: string) => void,
): void {
  if (command.peers.length > 0 || command.cells.length > 0) {
    log(
      'interop: --write-readme needs a run of every cell (no --peer, no --cell); README left as it was',
    )
    return
  }
  const readme = readFileSync(readmePath, 'utf8')
  readmeMatrix(readme)
  const start = readme.indexOf(matrixStart) + matrixStart.length
  const end = readme.indexOf(matrixEnd)
  writeFileSync(
    readmePath,
    `${readme.slice(0, start)}\n${matrixSection(report)}\n${readme.slice(end)}`,
  )
  log(`interop: wrote the matrix into ${readmePath}`)
}
