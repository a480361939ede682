import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { attackCells } from '../cells/attack.ts'
import { cellRow } from '../lab/types.ts'
import { attackTablePath } from './table.ts'
import { readExpected } from './verdicts.ts'

const cells = (row: string) =>
  row
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim())

describe('docs/attack-table.md (npm run interop -- --write-readme writes it)', () => {
  it('has a column for every attack cell, and agrees with interop/attack/expected.yaml', () => {
    expect(existsSync(attackTablePath)).toBe(true)
    const rows = readFileSync(attackTablePath, 'utf8')
      .split('\n')
      .filter((row) => row.startsWith('|'))
    const [header = '', , , ...cases] = rows
    const titles = cells(header).slice(2)
    expect(titles).toEqual(attackCells.map((cell) => cellRow(cell).title))
    const expected = readExpected()
    expect(Object.keys(expected).sort()).toEqual(attackCells.map((cell) => cellRow(cell).id).sort())
    for (const row of cases) {
      const [name = '', , ...marks] = cells(row)
      const id = name.replaceAll('`', '')
      attackCells.forEach((cell, index) => {
        const mark = marks[index] ?? ''
        const want = expected[cellRow(cell).id]?.[id]
        const shown =
          mark === '–'
            ? undefined
            : mark === '·' || mark === 'too strict'
              ? 'refused'
              : mark.endsWith('(off-site)')
                ? 'off-site'
                : 'accepted'
        expect([cellRow(cell).id, id, shown]).toEqual([cellRow(cell).id, id, want])
      })
    }
    expect(cases.length).toBeGreaterThan(50)
  })
})
