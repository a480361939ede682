import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../cli/test-support.ts'
import { packageRoot, packageVersion } from '../../core/package/index.ts'
import type { RunReport, ScenarioResult } from '../../reports/model.ts'
import { writeReports } from '../../reports/write-reports.ts'
import { keepAsBaseline } from '../../scripts/mutate/baseline-cache.ts'
import { builtInCatalogue, loadScenarios } from './load.ts'
import { planRuns } from './plan.ts'
import { buildRunReport } from './report.ts'
import { loadRules } from './rules.ts'
import { type RunOutput, runScenarios } from './runner.ts'

const catalogueRun = { sources: [], driver: 'http' as const, seed: 'catalogue-test', workers: 1 }

/**
 * The whole catalogue runs once for this file, as CI machines run it: three shards. Every test
 * reads those results. The unsharded report is built from them by the code an unsharded run
 * ends with (buildRunReport); running the catalogue a second time unsharded cost another minute
 * and proved nothing more, since a run's verdict does not depend on the shard it is in (each run
 * has its own IdP, SP and clock) and the shards are asserted to be the unsharded plan, each run
 * exactly once.
 */
let shards: Promise<RunOutput[]> | undefined
const threeShards = () => {
  shards ??= (async () => {
    const outputs: RunOutput[] = []
    for (const index of [1, 2, 3]) {
      outputs.push(await runScenarios({ ...catalogueRun, shard: { index, total: 3 } }))
    }
    return outputs
  })()
  return shards
}

/** The report an unsharded run of the whole catalogue makes of the same results. */
async function wholeCatalogue(): Promise<RunReport> {
  const outputs = await threeShards()
  const reports = outputs.map((output) => output.report)
  return buildRunReport({
    results: reports.flatMap((report) => report.scenarios),
    toolVersion: packageVersion(),
    startedAt: reports[0]?.startedAt ?? '',
    durationMs: reports.reduce((sum, report) => sum + report.durationMs, 0),
    options: {
      driver: 'http',
      seed: catalogueRun.seed,
      workers: 1,
      tags: [],
      protocols: [],
      sources: ['built-in'],
    },
    rules: loadRules(),
  })
}

function explain(result: ScenarioResult): string {
  const failure = result.failure
  return `${result.id} (${result.file}) step ${failure?.step} "${failure?.text}": ${failure?.message}\n  expected ${failure?.expected}\n  actual   ${failure?.actual}`
}

describe('the built-in catalogue with the http driver', () => {
  // The whole catalogue in one thread: its time grows with the catalogue, past the 30 s default.
  it('passes every scenario, each having exercised the real IdP and SP', async () => {
    const report = await wholeCatalogue()
    // The three shards ran the unsharded plan: every run exactly once, none left out.
    const plan = planRuns(loadScenarios([builtInCatalogue], process.cwd()), { driver: 'http' })
    expect(report.scenarios.map((result) => result.id)).toEqual(plan.map((run) => run.id))
    const failed = report.scenarios.filter((result) => result.status === 'failed').map(explain)
    expect(failed).toEqual([])
    expect(report.summary.total).toBeGreaterThanOrEqual(16)
    expect(report.summary.passed).toBe(report.summary.total)

    for (const result of report.scenarios) {
      const parties = new Set(
        result.steps.flatMap((step) => step.trace.map((entry) => entry.party)),
      )
      expect(parties, result.id).toContain('sp')
      const signsIn = result.steps.some((step) => step.kind === 'log in')
      if (signsIn) expect(parties, result.id).toContain('idp')
      expect(
        result.steps.every((step) => step.status === 'passed'),
        result.id,
      ).toBe(true)
    }

    // Virtual time: these scenarios advance their clock by hours and take moments, not days (a
    // bound that holds on a busy machine; npm run bench times the catalogue).
    const longOnes = report.scenarios.filter((result) => result.tags.includes('virtual-time'))
    expect(longOnes.length).toBeGreaterThanOrEqual(3)
    for (const result of longOnes) {
      const advanced = result.steps.filter((step) => step.kind === 'advance time')
      expect(advanced.length, result.id).toBeGreaterThan(0)
      expect(result.durationMs, result.id).toBeLessThan(60_000)
    }

    // Rules coverage names each rule once and lists the ones without a scenario.
    expect(report.rules.length).toBe(report.summary.rulesCovered + report.summary.rulesUncovered)
    const covered = report.rules.find((rule) => rule.id === 'session-inactivity-expiry')
    expect(covered?.status).toBe('covered')
    expect(covered?.scenarios).toContain('session-expires-after-48h-inactivity [saml-post]')
    // All of it unmutated is `npm run mutate`'s baseline for this tree: kept for that run.
    keepAsBaseline(packageRoot(), report)
  }, 600_000)

  // What CI machines do: each runs a shard, a last job merges their reports (the shards are the
  // whole catalogue once: 4 min at load 27 on 2 cores, hence a budget far from that).
  it("run in three shards and merged, gives the unsharded run's verdicts and coverage", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssoproof-merge-'))
    const shardDirs: string[] = []
    for (const [position, { report }] of (await threeShards()).entries()) {
      expect(report.summary.total).toBeGreaterThan(0)
      expect(report.options.shard).toEqual({ index: position + 1, total: 3 })
      const out = join(dir, `shard-${position + 1}`)
      await writeReports(report, { outDir: out, reporters: ['json'] })
      shardDirs.push(out)
    }
    const out = join(dir, 'merged')
    const merged = await runCli(['merge-reports', ...shardDirs, '--out', out])
    expect(merged.code, merged.stderr).toBe(0)
    expect(merged.stdout).toContain('ssoproof merge-reports: 3 reports')
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport
    const whole = await wholeCatalogue()
    const verdicts = (of: RunReport) =>
      of.scenarios.map((result) => `${result.id}: ${result.status}`)
    expect(verdicts(report)).toEqual(verdicts(whole))
    expect(report.summary).toEqual(whole.summary)
    expect(report.rules).toEqual(whole.rules)
    expect(report.catalogue).toEqual(whole.catalogue)
    expect(report.options.shard).toBeUndefined()
    for (const file of ['junit.xml', 'report.html']) {
      expect(readFileSync(join(out, file), 'utf8')).toContain('sign-in-return-url [oidc]')
    }
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(`${whole.summary.total} total`)

    const twice = await runCli([
      'merge-reports',
      shardDirs[0] ?? '',
      shardDirs[0] ?? '',
      '--out',
      out,
    ])
    expect(twice.code).toBe(1)
    expect(twice.stderr).toContain('REPORT_INVALID')
    expect(twice.stderr).toContain("give each shard's report once")
    const missing = await runCli(['merge-reports', join(dir, 'no-such-shard'), '--out', out])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('no such file or folder')
  }, 900_000)
})

describe('worker threads', () => {
  it('give the same verdicts as one thread, with every run done exactly once', {
    timeout: 600_000,
  }, async () => {
    // One thread: the same runs of the catalogue above, which ran in this thread.
    const single = await wholeCatalogue()
    const parallel = await runScenarios({
      ...catalogueRun,
      tags: ['session'],
      workers: 2,
      runsPerWorker: 1,
    })
    expect(parallel.report.options.workers).toBe(2)
    const ids = new Set(parallel.report.scenarios.map((result) => result.id))
    expect(ids.size).toBe(parallel.report.scenarios.length)
    const verdicts = (results: ScenarioResult[]) =>
      results.map((result) => `${result.id}: ${result.status}`)
    const sessionRuns = single.scenarios.filter((result) => result.tags.includes('session'))
    expect(verdicts(parallel.report.scenarios)).toEqual(verdicts(sessionRuns))
    expect(sessionRuns.length).toBeGreaterThanOrEqual(4)
    expect(parallel.report.summary.failed).toBe(0)
  })
})
