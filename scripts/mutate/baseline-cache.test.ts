import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { RunReport } from '../../reports/model.ts'
import { readBaseline, treeHash, writeBaseline } from './baseline-cache.ts'

describe('the mutate baseline cache', () => {
  const root = mkdtempSync(join(tmpdir(), 'ssoproof-tree-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('keys a baseline by every tracked and untracked file, never by ignored ones', () => {
    execFileSync('git', ['init', '-q'], { cwd: root })
    writeFileSync(join(root, '.gitignore'), 'out/\n')
    writeFileSync(join(root, 'a.ts'), 'export const a = 1\n')
    execFileSync('git', ['add', '.'], { cwd: root })
    const first = treeHash(root, 'all rules')
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect(treeHash(root, 'all rules')).toBe(first)
    expect(treeHash(root, 'one rule')).not.toBe(first)

    execFileSync('mkdir', ['-p', join(root, 'out')])
    writeFileSync(join(root, 'out', 'report.json'), '{}')
    expect(treeHash(root, 'all rules')).toBe(first)

    writeFileSync(join(root, 'a.ts'), 'export const a = 2\n')
    const changed = treeHash(root, 'all rules')
    expect(changed).not.toBe(first)
    writeFileSync(join(root, 'b.ts'), 'export const b = 1\n')
    expect(treeHash(root, 'all rules')).not.toBe(changed)
  })

  it('reads back only the baseline of the same hash', () => {
    const path = join(root, 'cache', 'mutate-baseline.json')
    const report = { summary: { total: 3 } } as unknown as RunReport
    expect(readBaseline(path, 'h1')).toBeUndefined()
    writeBaseline(path, 'h1', report)
    expect(readBaseline(path, 'h1')).toEqual(report)
    expect(readBaseline(path, 'h2')).toBeUndefined()
  })

  it('caches nothing outside a git checkout', () => {
    const plain = mkdtempSync(join(tmpdir(), 'ssoproof-plain-'))
    try {
      expect(treeHash(plain, 'x')).toBeUndefined()
    } finally {
      rmSync(plain, { recursive: true, force: true })
    }
  })
})
