import { describe, expect, it } from 'vitest'
import type { ScenarioResult } from '../../reports/model.ts'
import { catalogueCases, catalogueCoverage } from './catalogue-cases.ts'
import { builtInCatalogue, loadScenarios } from './load.ts'

describe('security catalogue coverage', () => {
  it('every case of the security catalogue has a scenario in the built-in catalogue', () => {
    const exercised = new Set(
      loadScenarios([builtInCatalogue]).flatMap((scenario) => scenario.catalogue),
    )
    const missing = catalogueCases
      .map((_title, index) => index + 1)
      .filter((number) => !exercised.has(number))
    expect(missing, `catalogue cases without a scenario: ${missing.join(', ')}`).toEqual([])
  })

  it('counts a case covered, failing or uncovered from the results that name it', () => {
    const result = (id: string, catalogue: number[], status: 'passed' | 'failed') =>
      ({ id, catalogue, status }) as ScenarioResult
    const coverage = catalogueCoverage([
      result('a [jwt]', [19, 20], 'passed'),
      result('a [oidc]', [19, 20], 'failed'),
      result('b', [20], 'passed'),
      { id: 'attack', status: 'passed' } as ScenarioResult,
    ])
    expect(coverage).toHaveLength(catalogueCases.length)
    expect(coverage[18]).toMatchObject({
      case: 19,
      status: 'failing',
      scenarios: ['a [jwt]', 'a [oidc]'],
    })
    expect(coverage[19]?.scenarios).toEqual(['a [jwt]', 'a [oidc]', 'b'])
    expect(coverage[0]).toMatchObject({ case: 1, status: 'uncovered', scenarios: [] })
    expect(coverage.filter((item) => item.status === 'covered')).toEqual([])
  })
})
