import { describe, expect, it } from 'vitest'
import { loadScenarioText } from './load.ts'
import { parseShard, planRuns } from './plan.ts'

const { scenarios } = loadScenarioText(
  Array.from(
    { length: 7 },
    (_, i) => `- id: s${i}
  title: Scenario ${i}${i % 2 === 0 ? ' even' : ''}
  tags: [${i % 3 === 0 ? 'three' : 'other'}]
  protocols: [saml-post${i < 3 ? ', saml-artifact' : ''}]
  drivers: [${i === 6 ? 'http' : 'http, browser'}]
  steps: [sign in]
`,
  ).join(''),
  'plan.yaml',
)

describe('planning runs', () => {
  it('runs a scenario once per protocol, ordered by id', () => {
    const runs = planRuns(scenarios, { driver: 'http' })
    expect(runs).toHaveLength(10)
    expect(runs.slice(0, 2).map((run) => run.id)).toEqual(['s0 [saml-artifact]', 's0 [saml-post]'])
  })

  it('shards split the runs so that together they run each exactly once', () => {
    const all = planRuns(scenarios, { driver: 'http' }).map((run) => run.id)
    for (const total of [1, 2, 3, 4, 10, 11]) {
      const parts = Array.from({ length: total }, (_, i) =>
        planRuns(scenarios, { driver: 'http', shard: { index: i + 1, total } }).map(
          (run) => run.id,
        ),
      )
      expect(parts.flat().sort()).toEqual([...all].sort())
      const sizes = parts.map((part) => part.length)
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
    }
  })

  it('filters by grep (id or title), tag, protocol and driver', () => {
    const ids = (filters: Parameters<typeof planRuns>[1]) =>
      planRuns(scenarios, filters).map((run) => run.id)
    expect(ids({ driver: 'http', grep: /even/ })).toEqual([
      's0 [saml-artifact]',
      's0 [saml-post]',
      's2 [saml-artifact]',
      's2 [saml-post]',
      's4 [saml-post]',
      's6 [saml-post]',
    ])
    expect(ids({ driver: 'http', grep: /artifact/ })).toHaveLength(3)
    expect(ids({ driver: 'http', tags: ['three'] })).toEqual([
      's0 [saml-artifact]',
      's0 [saml-post]',
      's3 [saml-post]',
      's6 [saml-post]',
    ])
    expect(ids({ driver: 'http', protocols: ['saml-artifact'] })).toHaveLength(3)
    expect(ids({ driver: 'browser' })).not.toContain('s6 [saml-post]')
  })

  it('reads i/n shards and refuses nonsense', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, total: 3 })
    for (const bad of ['0/2', '3/2', '1/0', 'a/b', '1-2', '']) {
      expect(() => parseShard(bad)).toThrow(/invalid shard/)
    }
  })
})
