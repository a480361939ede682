import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { LabCommand } from '../lab/options.ts'
import type { LabReport } from '../lab/report.ts'
import type { CellDefinition } from '../lab/types.ts'
import { cellId } from '../lab/types.ts'
import { attackSheets, attackTablePath, renderAttackTable } from './table.ts'
import { renderExpected } from './verdicts.ts'

/**
 * After a run with attack cells: `attack-table.md` and `attack-verdicts.yaml` (the expected
 * file's form) into the reports folder; with `--write-readme`, when every attack cell ran and
 * passed (its verdicts are the expected ones), the table into docs/attack-table.md too.
 */
export function writeAttackReports(
  report: LabReport,
  outDir: string,
  options: { command: LabCommand; attackCells: CellDefinition[] },
  log: (line: string) => void,
): void {
  const sheets = attackSheets(report)
  if (sheets.length === 0) return
  const table = renderAttackTable(sheets, { date: report.startedAt.slice(0, 10) })
  writeFileSync(join(outDir, 'attack-table.md'), table)
  writeFileSync(join(outDir, 'attack-verdicts.yaml'), renderExpected(sheets))
  log(`interop: attack-table.md, attack-verdicts.yaml in ${outDir}`)
  if (!options.command.writeReadme) return
  const passed = new Set(
    report.cells.filter((cell) => cell.status === 'passed').map((cell) => cell.id),
  )
  const short = options.attackCells.map(cellId).filter((id) => !passed.has(id))
  if (short.length > 0) {
    log(
      `interop: docs/attack-table.md needs every attack cell to run and pass (not: ${short.join(', ')}); left as it was`,
    )
    return
  }
  mkdirSync(dirname(attackTablePath), { recursive: true })
  writeFileSync(attackTablePath, table)
  log(`interop: wrote ${attackTablePath}`)
}
