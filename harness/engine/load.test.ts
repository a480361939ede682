import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isSsoError } from '../../core/errors/index.ts'
import { loadScenarios, loadScenarioText } from './load.ts'
import { loadRules, unknownRuleIssues } from './rules.ts'

const good = `
- id: one
  title: One
  steps:
    - sign in
    - log in: alice
    - advance time: 47h59m
    - expect: { signed in as: alice }
- id: two
  title: Two
  protocols: [saml-post, saml-artifact]
  setup:
    sp: { sessionInactivity: 30m }
    users: [{ id: erin, name: Erin }]
  steps:
    - open: /account
`

describe('scenario files', () => {
  it('reads a list of scenarios with their steps, durations in ms and line numbers', () => {
    const { scenarios, issues } = loadScenarioText(good, 'good.yaml')
    expect(issues).toEqual([])
    expect(scenarios.map((s) => s.id)).toEqual(['one', 'two'])
    const [one, two] = scenarios
    expect(one?.line).toBe(2)
    expect(one?.protocols).toEqual(['saml-post'])
    expect(one?.steps.map((step) => step.kind)).toEqual([
      'sign in',
      'log in',
      'advance time',
      'expect',
    ])
    expect(one?.steps[2]).toMatchObject({ arg: 47 * 3_600_000 + 59 * 60_000, line: 7 })
    expect(two?.setup.sp.sessionInactivity).toBe(30 * 60_000)
    expect(two?.setup.users[0]).toMatchObject({ id: 'erin', attributes: {} })
  })

  it('reads a single scenario mapping too', () => {
    const { scenarios } = loadScenarioText('id: solo\ntitle: Solo\nsteps: [sign in]\n', 'solo.yaml')
    expect(scenarios[0]?.steps).toEqual([{ kind: 'sign in', arg: {}, line: 3 }])
  })

  it('names file, line, column and path of each problem', () => {
    const text = [
      'id: bad',
      'title: Bad',
      'setup:',
      '  sp: { sessionInactivty: 48h }',
      'steps:',
      '  - sign in',
      '  - jump: high',
      '  - advance time: 48 hours',
      '  - { open: /, expect: { signed in: true } }',
      '  - expect: {}',
      '',
    ].join('\n')
    const { issues } = loadScenarioText(text, 'bad.yaml')
    const shown = issues.map(
      (issue) => `${issue.line}:${issue.column} ${issue.path}: ${issue.message}`,
    )
    expect(shown[0]).toMatch(
      /^4:\d+ setup\.sp: .*"sessionInactivty": did you mean "sessionInactivity"\?/,
    )
    // A wrong setup does not hide the steps' own problems: one run lists them all.
    expect(issues).toHaveLength(5)
    const fixed = loadScenarioText(
      text.replace('sessionInactivty', 'sessionInactivity'),
      'bad.yaml',
    )
    const lines = fixed.issues.map((issue) => `${issue.line} ${issue.path}: ${issue.message}`)
    expect(lines).toEqual([
      expect.stringMatching(
        /^7 steps\[1\]\.jump: unknown step "jump"; steps are: open, (.+, )?sign in, /,
      ),
      expect.stringMatching(/^8 steps\[2\]\.advance time: a duration such as 90s/),
      expect.stringMatching(/^9 steps\[3\]: a step has exactly one keyword, found open, expect/),
      expect.stringMatching(/^10 steps\[4\]\.expect: an expectation needs at least one check/),
    ])
  })

  it('reports YAML syntax errors with their line', () => {
    const { issues } = loadScenarioText('id: x\ntitle: [unclosed\nsteps: []\n', 'syntax.yaml')
    expect(issues[0]).toMatchObject({ file: 'syntax.yaml', line: expect.any(Number) })
    expect(issues[0]?.line).toBeGreaterThanOrEqual(2)
  })

  it('refuses the same scenario id twice across files, naming both places', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssoproof-scenarios-'))
    writeFileSync(join(dir, 'a.yaml'), 'id: same\ntitle: A\nsteps: [sign in]\n')
    writeFileSync(join(dir, 'b.yml'), '\n\nid: same\ntitle: B\nsteps: [sign in]\n')
    writeFileSync(join(dir, 'notes.txt'), 'not a scenario')
    try {
      loadScenarios([dir], dir)
      expect.unreachable('duplicate ids must be refused')
    } catch (error) {
      expect(isSsoError(error) && error.code).toBe('SCENARIO_INVALID')
      const issues = (error as { evidence: { issues: string[] } }).evidence.issues
      expect(issues).toEqual([
        expect.stringMatching(
          /^b\.yml:3:1 id: duplicate scenario id "same" \(first in a\.yaml:1\)/,
        ),
      ])
    }
  })

  it('refuses a missing file with a clear error', () => {
    expect(() => loadScenarios(['/nonexistent/scenarios'])).toThrow(/no such file or folder/)
  })

  it('knows every rule id a scenario names', () => {
    const rules = loadRules()
    expect(rules.length).toBeGreaterThan(20)
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length)
    const { scenarios } = loadScenarioText(
      'id: r\ntitle: R\nrules: [account-return-url, no-such-rule]\nsteps: [sign in]\n',
      'r.yaml',
    )
    expect(unknownRuleIssues(scenarios, rules).map((issue) => issue.message)).toEqual([
      'unknown rule id "no-such-rule" (see scenarios/rules.yaml)',
    ])
  })
})
