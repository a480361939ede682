import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// .ci/run ends with this script's line; a broken script once printed "0 passed, 1 failed" after a
// run where all 2156 tests and cells passed.
const folder = mkdtempSync(join(tmpdir(), 'ssoproof-ci-summary-'))

function report(name: string, content: unknown): string {
  const path = join(folder, name)
  writeFileSync(path, JSON.stringify(content))
  return path
}

function summary(...paths: string[]): { line: string; status: number } {
  try {
    const line = execFileSync(process.execPath, ['.ci/summary.cjs', ...paths], { encoding: 'utf8' })
    return { line: line.trim(), status: 0 }
  } catch (error) {
    const failed = error as { stdout: string; status: number }
    return { line: failed.stdout.trim(), status: failed.status }
  }
}

const vitest = report('vitest.json', {
  numPassedTests: 20,
  numFailedTests: 1,
  testResults: [{ status: 'failed', assertionResults: [] }],
})
const packageStep = report('package.json', { numPassedTests: 8, numFailedTests: 0 })
const lab = report('interop.json', { summary: { passed: 100, failed: 2 } })

describe('CI summary line (.ci/summary.cjs)', () => {
  it('adds npm test, the package step and the lab; a file that failed to load counts as a failure', () => {
    expect(summary(vitest, packageStep, lab)).toEqual({ line: '128 passed, 4 failed', status: 0 })
  })

  it('counts a missing package or lab report as one failure each', () => {
    const missing = join(folder, 'missing.json')
    expect(summary(vitest, missing, missing)).toEqual({ line: '20 passed, 4 failed', status: 0 })
  })

  it('fails when npm test left no report', () => {
    expect(summary(join(folder, 'missing.json'), packageStep, lab)).toEqual({
      line: '0 passed, 1 failed',
      status: 1,
    })
  })
})
