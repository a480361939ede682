import { describe, expect, it } from 'vitest'
import type { RunReport } from '../../reports/model.ts'
import { judgedAgainst } from './mutation-report.ts'
import type { MutantOutcome } from './run-mutant.ts'

const mutant = { id: 'r1#1', rule: 'r1', file: 'a.ts', find: 'x', replace: 'y', why: 'w' }
const killedBy = (by: string): MutantOutcome => ({
  mutant,
  verdict: { kind: 'killed', by },
  ms: 1,
})
const baseline = (scenarios: Array<[string, string]>, failingRule = false) =>
  ({
    rules: [{ id: 'r1', status: failingRule ? 'failing' : 'covered' }],
    scenarios: scenarios.map(([id, status]) => ({ id, status })),
  }) as unknown as RunReport

describe('a mutant judged against the baseline that ran beside it', () => {
  it('stays killed when its killer passes unmutated', () => {
    const outcome = killedBy('s1 [jwt]')
    expect(judgedAgainst(baseline([['s1 [jwt]', 'passed']]), outcome)).toBe(outcome)
  })

  it('is invalid when its killer fails unmutated, or when its rule fails there', () => {
    expect(judgedAgainst(baseline([['s1 [jwt]', 'failed']]), killedBy('s1 [jwt]')).verdict).toEqual(
      { kind: 'invalid', reason: 's1 [jwt] fails unmutated' },
    )
    const survived: MutantOutcome = { mutant, verdict: { kind: 'survived', runs: 3 }, ms: 1 }
    expect(judgedAgainst(baseline([], true), survived).verdict).toEqual({
      kind: 'invalid',
      reason: "the rule's scenarios fail unmutated",
    })
  })
})
