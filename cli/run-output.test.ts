import { describe, expect, it } from 'vitest'
import type { RunReport, ScenarioResult } from '../reports/model.ts'
import { githubAnnotation, paletteFor, progressLine, runSummaryLine } from './run-output.ts'

const failed: ScenarioResult = {
  id: 'broken [saml-post]',
  scenarioId: 'broken',
  title: 'Broken',
  file: 'my suite/broken, v2.yaml',
  protocol: 'saml-post',
  driver: 'http',
  tags: [],
  rules: [],
  status: 'failed',
  durationMs: 12.4,
  steps: [],
  failure: {
    step: 3,
    text: 'expect signed in as bob',
    message: 'signed in as: not as expected',
    expected: 'signed in as: bob',
    actual: 'signed in as: alice\n100%',
  },
}

describe('ssoproof run output', () => {
  it('colours only a terminal, and NO_COLOR and FORCE_COLOR win over that', () => {
    const red = '\u001b[31m✗\u001b[39m'
    const line = (stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv) =>
      progressLine(failed, { finished: 7, total: 120 }, paletteFor(stream, env))
    expect(line({ isTTY: true }, {})).toContain(red)
    expect(line({ isTTY: false }, {})).not.toContain('\u001b[')
    expect(line({ isTTY: true }, { NO_COLOR: '1' })).not.toContain('\u001b[')
    expect(line({ isTTY: false }, { FORCE_COLOR: '1' })).toContain(red)
    expect(line({ isTTY: true }, { FORCE_COLOR: '0' })).not.toContain('\u001b[')
  })

  it('counts finished runs against planned ones', () => {
    const passed = { ...failed, status: 'passed' as const }
    delete passed.failure
    expect(progressLine(passed, { finished: 7, total: 120 }, paletteFor({}, {}))).toBe(
      '  [  7/120] ✓ broken [saml-post] (12 ms)',
    )
    expect(progressLine(failed, { finished: 120, total: 120 }, paletteFor({}, {}))).toMatch(
      /^ {2}\[120\/120\] ✗ broken \[saml-post\] \(12 ms\) — step 3 "expect signed in as bob"/,
    )
  })

  it('escapes a GitHub Actions annotation so the runner reads it whole', () => {
    expect(githubAnnotation(failed)).toBe(
      '::error file=my suite/broken%2C v2.yaml,title=ssoproof%3A broken [saml-post]::step 3 "expect signed in as bob": signed in as: not as expected%0Aexpected signed in as: bob%0Aactual   signed in as: alice%0A100%25',
    )
  })

  it('names coverage in the summary only when the run reported it', () => {
    const report = {
      durationMs: 1500,
      summary: { total: 1, passed: 0, failed: 1, rulesCovered: 0, rulesUncovered: 0 },
      rules: [],
    } as unknown as RunReport
    expect(runSummaryLine(report)).toBe('0 passed, 1 failed, 1 total in 1.50 s')
    const covered = {
      ...report,
      summary: {
        ...report.summary,
        rulesCovered: 2,
        rulesUncovered: 1,
        catalogueCovered: 3,
        catalogueCases: 38,
      },
      rules: [{}, {}, {}],
    } as unknown as RunReport
    expect(runSummaryLine(covered)).toBe(
      '0 passed, 1 failed, 1 total in 1.50 s · rules covered 2/3 · catalogue cases covered 3/38',
    )
  })
})
