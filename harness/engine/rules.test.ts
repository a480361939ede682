import { describe, expect, it } from 'vitest'
import type { ScenarioResult } from '../../reports/model.ts'
import { loadScenarioText } from './load.ts'
import { loadRules, ruleCoverage, unknownRuleIssues } from './rules.ts'

const rules = [
  { id: 'return-url', title: 'same-origin return_url only', section: 'Accounts' },
  { id: 'inactivity', title: '48 hours', section: 'Sessions' },
  { id: 'routing', title: 'first match', section: 'Routing' },
]

function result(id: string, rulesOf: string[], negative: string[], passed = true): ScenarioResult {
  return {
    id,
    scenarioId: id,
    title: id,
    file: 'x.yaml',
    protocol: 'saml-post',
    driver: 'http',
    tags: [],
    rules: rulesOf,
    ...(negative.length > 0 ? { negativeRules: negative } : {}),
    status: passed ? 'passed' : 'failed',
    durationMs: 1,
    steps: [],
  }
}

describe('rules coverage', () => {
  it('counts a rule covered only with a passing positive and a passing negative result', () => {
    const coverage = ruleCoverage(rules, [
      result('same-origin', ['return-url'], []),
      result('other-site', ['return-url', 'inactivity'], ['return-url', 'inactivity']),
    ])
    expect(coverage.map((rule) => [rule.id, rule.status, rule.negative])).toEqual([
      ['return-url', 'covered', ['other-site']],
      ['inactivity', 'one-sided', ['other-site']],
      ['routing', 'uncovered', []],
    ])
  })

  it('marks a rule failing when one of its results failed, whatever the sides', () => {
    const coverage = ruleCoverage(rules, [
      result('same-origin', ['return-url'], []),
      result('other-site', ['return-url'], ['return-url'], false),
    ])
    expect(coverage[0]?.status).toBe('failing')
  })

  it('reads `rules:` as a list (positive) or as positive and negative lists', () => {
    const { scenarios, issues } = loadScenarioText(
      `- id: a
  title: A
  rules: [return-url]
  steps: [sign in]
- id: b
  title: B
  rules: { positive: [inactivity], negative: [return-url] }
  steps: [sign in]
`,
      'x.yaml',
    )
    expect(issues).toEqual([])
    expect(scenarios.map((s) => [s.rules, s.negativeRules])).toEqual([
      [['return-url'], []],
      [['inactivity', 'return-url'], ['return-url']],
    ])
  })

  it('refuses a rule named on both sides by one scenario, and an unknown rule id', () => {
    const { scenarios } = loadScenarioText(
      `id: a
title: A
rules: { positive: [return-url, nope], negative: [return-url] }
steps: [sign in]
`,
      'x.yaml',
    )
    expect(unknownRuleIssues(scenarios, rules).map((issue) => issue.message)).toEqual([
      'unknown rule id "nope" (see scenarios/rules.yaml)',
      'rule id "return-url" is both positive and negative; one scenario proves one side',
    ])
  })

  it('gives every rule of the catalogue a source, and no two the same id', () => {
    const catalogue = loadRules()
    expect(catalogue.length).toBeGreaterThan(70)
    expect(catalogue.filter((rule) => !rule.source)).toEqual([])
  })
})
