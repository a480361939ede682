import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { packagePath } from '../../core/package/index.ts'
import { loadScenarios } from './load.ts'
import { runScenarios } from './runner.ts'

const doc = readFileSync(packagePath('scenarios', 'oidf-rp.md'), 'utf8')
const file = packagePath('scenarios', 'catalogue', 'oidf-rp.yaml')

/** Every row of the page's tables: the test, its protocols (none when it does not apply), its result. */
function rows() {
  return doc
    .split('\n')
    .filter((line) => /^\| `oidcc-client-test[a-z0-9-]*` \|/.test(line))
    .map((line) => {
      const cells = line.split(' | ')
      return {
        test: (cells[0] ?? '').replace(/^\| `|`$/g, ''),
        protocols: [...(cells[2] ?? '').matchAll(/`([a-z-]+)`/g)].map((match) => match[1]),
        result: (cells[3] ?? '').replace(/ \|$/, ''),
      }
    })
}

describe('scenarios/oidf-rp.md, the OpenID Foundation RP tests mapped', () => {
  it('names a scenario for every applicable test, with its protocols, and every scenario of oidf-rp.yaml', () => {
    const scenarios = new Map(loadScenarios([file]).map((scenario) => [scenario.id, scenario]))
    const listed = rows()
    const applicable = listed.filter((row) => row.result === 'passed')
    for (const row of applicable) {
      expect(scenarios.get(row.test)?.protocols, row.test).toEqual(
        expect.arrayContaining(row.protocols),
      )
    }
    for (const row of listed.filter((row) => row.result !== 'passed')) {
      expect(row.result, row.test).toMatch(/^not applicable: \S/)
      expect(scenarios.has(row.test), row.test).toBe(false)
    }
    const distinct = new Set(listed.map((row) => row.test))
    const played = new Set(applicable.map((row) => row.test))
    expect([...scenarios.keys()].filter((id) => !played.has(id))).toEqual([])
    expect(doc).toContain(
      `**${played.size} of ${played.size} tests that apply to a code-flow RP have a scenario, and all pass; ${distinct.size - played.size} of\nthe ${distinct.size} distinct tests do not apply**`,
    )
    const readme = readFileSync(packagePath('README.md'), 'utf8')
    expect(readme).toContain(`${played.size} of the ${distinct.size} tests`)
  })

  it('every one of those scenarios passes against the real IdP and SP', async () => {
    const { report } = await runScenarios({
      sources: [file],
      driver: 'http',
      seed: 'oidf-rp-test',
      workers: 1,
    })
    const failed = report.scenarios
      .filter((result) => result.status !== 'passed')
      .map((result) => `${result.id}: ${result.failure?.message}`)
    expect(failed).toEqual([])
    expect(report.summary.total).toBe(
      loadScenarios([file]).reduce((sum, scenario) => sum + scenario.protocols.length, 0),
    )
  }, 300_000)
})
