import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { cellId, cellRow } from './lab/types.ts'
import { readmeMatrix, readmePath } from './readme-matrix.ts'
import { registry } from './registry.ts'

/** The README's matrix as rows of [label, marks by flow]. */
function parseTable(section: string) {
  const lines = section.split('\n').filter((line) => line.startsWith('|'))
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim())
  const [header = '', , ...rows] = lines
  const flows = cells(header).slice(1)
  return {
    flows,
    rows: rows.map((line) => {
      const [label = '', ...marks] = cells(line)
      return { label, marks: new Map(flows.map((flow, i) => [flow, marks[i]])) }
    }),
  }
}

describe('the interop matrix in the README', () => {
  it('has a ✓ or ✗ for exactly the cells the lab has (run `npm run interop -- --write-readme`)', () => {
    const table = parseTable(readmeMatrix(readFileSync(readmePath, 'utf8')))
    const expected = registry.cells.map((cell) => cellId(cell)).sort()
    const shown: string[] = []
    for (const cell of registry.cells) {
      const row = table.rows.find((candidate) => candidate.label.startsWith(cellRow(cell).title))
      const mark = row?.marks.get(cell.flow)
      if (mark === '✓' || mark === '✗') shown.push(cellId(cell))
    }
    expect(shown.sort()).toEqual(expected)
    const marked = table.rows.flatMap((row) => [...row.marks.values()].filter((m) => m !== '–'))
    expect(marked.length).toBe(expected.length)
  })
})
