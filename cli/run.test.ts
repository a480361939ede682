import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseXml } from '../core/xml/index.ts'
import { builtInCatalogue, loadScenarios } from '../harness/engine/load.ts'
import { planRuns } from '../harness/engine/plan.ts'
import type { RunReport } from '../reports/model.ts'
import { runCli } from './test-support.ts'

const bin = fileURLToPath(new URL('../bin/ssoproof.js', import.meta.url))

function ssoproof(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: '', ...env },
    timeout: 120_000,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

const inProcess = runCli

const broken = `- id: broken-expectation
  title: A scenario whose expectation is wrong on purpose
  rules: [account-return-url]
  steps:
    - sign in: { return_url: /account }
    - log in: alice
    - expect: { signed in as: bob, at: /account }
    - open: /
- id: fine
  title: A scenario that passes
  steps:
    - sign in
    - log in: dave
    - expect: { signed in as: dave }
`

describe('ssoproof run', () => {
  // The one run through bin/ssoproof.js in a process of its own (tsx from the checkout): the
  // exit code is the process's. Starting it costs seconds on a busy machine.
  it('exits non-zero on a wrong expectation and every report shows the failing step with expected and actual', {
    timeout: 180_000,
  }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssoproof-run-'))
    writeFileSync(join(dir, 'broken.yaml'), broken)
    const out = join(dir, 'out')
    const run = ssoproof(['run', join(dir, 'broken.yaml'), '--out', out, '--seed', '5'])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('✓ fine [saml-post]')
    expect(run.stdout).toMatch(
      /✗ broken-expectation \[saml-post\] .*step 3 "expect signed in as bob, at \/account"/,
    )
    expect(run.stdout).toMatch(/expected signed in as: bob/)
    expect(run.stdout).toMatch(/actual {3}signed in as: alice/)
    expect(run.stdout).toContain('1 passed, 1 failed, 2 total')
    expect(run.stdout).toContain('--seed 5')

    const junit = parseXml(readFileSync(join(out, 'junit.xml'), 'utf8'))
    const failures = Array.from(junit.getElementsByTagName('failure'))
    expect(failures).toHaveLength(1)
    expect(failures[0]?.getAttribute('message')).toContain('step 3')
    expect(failures[0]?.textContent).toContain('bob')
    expect(failures[0]?.textContent).toContain('alice')
    expect(junit.getElementsByTagName('testcase')).toHaveLength(2)

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport
    const failed = report.scenarios.find((result) => result.status === 'failed')
    expect(failed?.failure).toMatchObject({
      step: 3,
      expected: 'signed in as: bob',
      actual: 'signed in as: alice',
    })
    expect(failed?.steps.map((step) => step.status)).toEqual([
      'passed',
      'passed',
      'failed',
      'not-run',
    ])
    const html = readFileSync(join(out, 'report.html'), 'utf8')
    expect(html).toContain('broken-expectation')
    expect(html).toContain('signed in as: bob')
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('broken-expectation')
  })

  // The first in-process run here also loads the whole product: generous for a busy machine.
  it('splits the runs into shards that together run each exactly once', {
    timeout: 120_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssoproof-shards-'))
    const grep = '^sign-in-(return-url|idp-session-reused) '
    const ids = async (shard: string) => {
      const out = join(dir, shard.replace('/', '-of-'))
      const args = ['run', '--grep', grep, '--shard', shard, '--reporter', 'json']
      const run = await inProcess([...args, '--out', out, '--seed', '9'])
      expect(run.code, run.stdout + run.stderr).toBe(0)
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport
      expect(report.options.shard).toEqual({ index: Number(shard[0]), total: 3 })
      return report.scenarios.map((result) => result.id)
    }
    const shards = [await ids('1/3'), await ids('2/3'), await ids('3/3')]
    const all = planRuns(loadScenarios([builtInCatalogue]), {
      driver: 'http',
      grep: new RegExp(grep),
    }).map((run) => run.id)
    expect(all).toHaveLength(8)
    for (const shard of shards) expect(shard.length).toBeGreaterThan(0)
    expect(shards.flat().sort()).toEqual([...all].sort())
  })

  it('refuses bad options with exit code 2 and bad scenario files with exit code 1 and their line', async () => {
    expect((await inProcess(['run', '--shard', '3/2'])).code).toBe(2)
    const driver = await inProcess(['run', '--driver', 'telnet'])
    expect(driver.code).toBe(2)
    expect(driver.stderr).toContain('--driver must be http or browser')
    expect((await inProcess(['run', '--reporter', 'pdf'])).stderr).toContain(
      'unknown reporter "pdf"',
    )
    expect((await inProcess(['run', '--workers', '0'])).code).toBe(2)
    const timeout = await inProcess(['run', '--run-timeout', '0.5'])
    expect(timeout.code).toBe(2)
    expect(timeout.stderr).toContain('--run-timeout must be a whole number of seconds')

    const dir = mkdtempSync(join(tmpdir(), 'ssoproof-invalid-'))
    writeFileSync(
      join(dir, 'bad.yaml'),
      'id: bad\ntitle: Bad\nsteps:\n  - advance time: two days\n',
    )
    const invalid = await inProcess(['run', join(dir, 'bad.yaml'), '--out', join(dir, 'out')])
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toContain('SCENARIO_INVALID')
    expect(invalid.stderr).toMatch(/bad\.yaml:4:\d+ steps\[0\]\.advance time: a duration such as/)

    // Filters that match nothing: a usage error, no (empty) reports, and what could match.
    const none = await inProcess(['run', '--grep', 'sesion-expires', '--out', join(dir, 'none')])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('no scenario matched')
    expect(none.stderr).toContain('did you mean "session-expires"?')
    expect(none.stderr).toContain('session-expires-after-48h-inactivity')
    expect(existsSync(join(dir, 'none'))).toBe(false)
    const far = await inProcess(['run', '--grep', 'qqqqqqqqqqqqqq', '--out', join(dir, 'none')])
    expect(far.code).toBe(2)
    expect(far.stderr).toMatch(/is not close to any of the \d+ scenario ids/)
    const tag = await inProcess(['run', '--tag', 'smokey', '--out', join(dir, 'none')])
    expect(tag.code).toBe(2)
    expect(tag.stderr).toContain('--tag "smokey" is no scenario\'s tag; did you mean "smoke"?')
    expect(existsSync(join(dir, 'none'))).toBe(false)
    const allowed = await inProcess([
      'run',
      '--grep',
      'matches-nothing',
      '--pass-with-no-scenarios',
      '--out',
      join(dir, 'none'),
    ])
    expect(allowed.code).toBe(0)
  })

  it('is quiet in CI: failures and the summary only, unless --verbose', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssoproof-quiet-'))
    const args = [
      'run',
      '--grep',
      'sessions?-inactivity-configurable',
      '--reporter',
      'json',
      '--out',
      dir,
    ]
    const ci = process.env.CI
    process.env.CI = 'true'
    try {
      const quiet = await inProcess(args)
      expect(quiet.code).toBe(0)
      expect(quiet.stdout).not.toContain('✓')
      expect(quiet.stdout).toMatch(/[1-9]\d* passed, 0 failed/)
      expect((await inProcess([...args, '--verbose'])).stdout).toContain(
        '✓ session-inactivity-configurable',
      )
    } finally {
      if (ci === undefined) delete process.env.CI
      else process.env.CI = ci
    }
  })

  it('--rule runs the scenarios of the rules named, and tables those rules only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssoproof-rule-'))
    const run = await inProcess([
      'run',
      '--rule',
      'agent-certificate-expiry-warning',
      '--reporter',
      'json',
      '--out',
      dir,
    ])
    expect(run.code, run.stderr).toBe(0)
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport
    expect(report.scenarios.map((result) => result.scenarioId).sort()).toEqual([
      'agent-certificate-expiry-quiet-a-minute-before-30-days',
      'agent-certificate-expiry-quiet-at-31-days',
      'agent-certificate-expiry-warns-at-29-days',
      'agent-certificate-expiry-warns-at-exactly-30-days',
    ])
    expect(report.rules.map((rule) => [rule.id, rule.status, rule.negative])).toEqual([
      [
        'agent-certificate-expiry-warning',
        'covered',
        [
          'agent-certificate-expiry-quiet-a-minute-before-30-days [saml-post]',
          'agent-certificate-expiry-quiet-at-31-days [saml-post]',
        ],
      ],
    ])
    const unknown = await inProcess(['run', '--rule', 'no-such-rule', '--out', dir])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown rule id "no-such-rule"')
  })

  it('reports rules and catalogue coverage only for a run that is about them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssoproof-own-suite-'))
    writeFileSync(
      join(dir, 'own.yaml'),
      'id: own\ntitle: My own\nsteps:\n  - sign in\n  - log in: dave\n  - expect: { signed in as: dave }\n',
    )
    const run = await inProcess(['run', join(dir, 'own.yaml'), '--out', join(dir, 'out')])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('1 passed, 0 failed, 1 total')
    expect(run.stdout).not.toContain('rules covered')
    expect(run.stdout).not.toContain('catalogue cases')
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as RunReport
    expect(report.rules).toEqual([])
    expect(report.catalogue).toBeUndefined()
    expect(readFileSync(join(dir, 'out', 'summary.md'), 'utf8')).not.toContain('Rules:')
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).not.toContain('Rules covered')

    // A file whose scenario names a rule reports that rule alone, not the whole catalogue.
    writeFileSync(
      join(dir, 'tagged.yaml'),
      'id: tagged\ntitle: Tagged\nrules: [account-return-url]\nsteps:\n  - sign in\n  - log in: dave\n  - expect: { signed in as: dave }\n',
    )
    const tagged = await inProcess(['run', join(dir, 'tagged.yaml'), '--out', join(dir, 'out2')])
    expect(tagged.code, tagged.stderr).toBe(0)
    expect(tagged.stdout).toContain('rules covered 0/1')
    const taggedReport = JSON.parse(
      readFileSync(join(dir, 'out2', 'report.json'), 'utf8'),
    ) as RunReport
    expect(taggedReport.rules.map((rule) => rule.id)).toEqual(['account-return-url'])
  })

  it('on Ctrl-C stops, says after how many, and writes the reports of what finished', {
    timeout: 180_000,
  }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'ssoproof-interrupted-'))
    const child = spawn(process.execPath, [bin, 'run', '--workers', '1', '--out', out], {
      env: { ...process.env, CI: '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let interrupted = false
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8')
      if (!interrupted && /\[\s*1\/\d+\]/.test(stdout)) {
        interrupted = true
        child.kill('SIGINT')
      }
    })
    const [code] = await once(child, 'exit')
    expect(code).toBe(130)
    const [, finished, planned] = /interrupted after (\d+)\/(\d+)/.exec(stdout) ?? []
    expect(Number(finished)).toBeGreaterThan(0)
    expect(Number(finished)).toBeLessThan(Number(planned))
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport
    expect(report.summary.interrupted).toEqual({
      finished: Number(finished),
      planned: Number(planned),
    })
    expect(report.scenarios).toHaveLength(Number(finished))
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(
      `**interrupted** after ${finished}/${planned}`,
    )
  })
})
