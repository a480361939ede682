import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { benchReportSchema, formatTable } from './bench-report.ts'
import { smokeBudget } from './measure.ts'
import { runBench, writeBenchJson } from './run-bench.ts'

// Runs every figure of `npm run bench` a few times so the bench code cannot rot. It asserts the
// shape of bench.json and that each figure measured something, never how fast anything is.
describe('npm run bench in smoke mode', () => {
  it('measures every figure and writes bench.json in its documented shape', async () => {
    const report = await runBench({ budget: smokeBudget })

    expect(report.mode).toBe('smoke')
    expect(report.figures.map((row) => row.id)).toEqual([
      'rsa-sign',
      'rsa-verify',
      'saml-issuance',
      'saml-validation',
      'jwt-issuance',
      'jwt-validation',
      'oidc-in-process',
      'oidc-loopback',
      'store-cost-sp',
      'store-cost-idp',
      'catalogue',
      'catalogue-workers',
      'catalogue-48h',
      'serve-cold-start',
      'serve-memory',
      'loopback-load',
      'help-start-up',
      'serve-first-200',
    ])
    expect(new Set(report.figures.map((row) => row.item))).toEqual(
      new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    )
    for (const row of report.figures) {
      expect(row.value, row.id).toBeGreaterThan(0)
      if (row.item > 0) expect(row.ratio, row.id).toBeGreaterThan(0)
    }
    expect(report.figures.filter((row) => row.goal).map((row) => row.id)).toEqual([
      'saml-issuance',
      'saml-validation',
      'jwt-issuance',
      'jwt-validation',
      'oidc-loopback',
      'store-cost-sp',
      'store-cost-idp',
      'catalogue-workers',
      'serve-memory',
      'loopback-load',
      'help-start-up',
      'serve-first-200',
    ])
    const byId = new Map(report.figures.map((row) => [row.id, row]))
    expect(byId.get('loopback-load')?.details.errors).toBe(0)
    expect(byId.get('serve-memory')?.details).toMatchObject({ errors: 0, reached: true })
    expect(byId.get('serve-memory')?.status).toBeUndefined()

    const dir = mkdtempSync(join(tmpdir(), 'ssoproof-bench-test-'))
    try {
      writeBenchJson(report, join(dir, 'bench.json'))
      const written = JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8'))
      expect(benchReportSchema.parse(written)).toEqual(report)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const table = formatTable(report)
    for (const row of report.figures) expect(table).toContain(row.title)
  }, 600_000)
})
