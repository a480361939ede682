import { defaultWorkers, runScenarios } from '../../../harness/engine/runner.ts'
import { createInProcessPair, idpUrl, spUrl } from '../../../tests/fixtures/in-process.ts'
import type { BenchContext } from '../bench-context.ts'
import { type Figure, figure } from '../bench-report.ts'
import { measureRates, quantile } from '../measure.ts'
import { signInVisitor } from '../visitor.ts'

/** The scenarios whose virtual clock moves 48 hours (sessions.yaml). */
const fortyEightHours = /48[- ]?h/i

/**
 * Figure 5: the built-in catalogue with the http driver, as `ssoproof run` runs it (default
 * workers, every protocol), beside a bare in-process SAML sign-in: the ratio says how many
 * sign-ins one scenario run costs. The 48-hour scenarios' wall time beside the median run's:
 * time on the virtual clock should cost nothing. Smoke mode runs only the 48-hour scenarios, in
 * SAML POST.
 */
export async function catalogue(ctx: BenchContext): Promise<Figure[]> {
  const { idp, sp } = await createInProcessPair({
    idpCredential: ctx.keys.idp,
    spCredential: ctx.keys.sp,
  })
  const origins = { [idpUrl]: idp.app.fetch, [spUrl]: sp.app.fetch }
  const baseline = await measureRates(
    { signIn: () => signInVisitor(spUrl, { origins }) },
    ctx.budget,
  )
  sp.close()
  const workers = defaultWorkers('http')
  const runCatalogue = async (count: number) =>
    (
      await runScenarios({
        sources: [],
        driver: 'http',
        seed: 'bench',
        workers: count,
        ...(ctx.budget.mode === 'smoke'
          ? { grep: fortyEightHours.source, protocols: ['saml-post'] }
          : {}),
      })
    ).report
  // The default must never be slower than one worker (issue 22). It runs first, so it pays what
  // a first run pays (loading, caches) and the comparison leans against it, never for it.
  ctx.progress(`catalogue: ${workers} worker(s)`)
  const report = await runCatalogue(workers)
  ctx.progress('catalogue: one worker')
  const alone = workers === 1 ? report : await runCatalogue(1)
  const alonePerSecond = alone.scenarios.length / (alone.durationMs / 1000)
  const runs = report.scenarios
  const long = runs.filter((run) => fortyEightHours.test(run.id) || fortyEightHours.test(run.title))
  const medianMs = quantile(
    runs.map((run) => run.durationMs),
    0.5,
  )
  const longMedianMs = quantile(
    long.map((run) => run.durationMs),
    0.5,
  )
  const perSecond = runs.length / (report.durationMs / 1000)
  return [
    figure({
      id: 'catalogue',
      item: 5,
      title: 'Scenario catalogue, http driver',
      value: perSecond,
      unit: 'runs/s',
      higherIsBetter: true,
      comparison: {
        kind: 'baseline',
        name: 'in-process SAML sign-in',
        value: baseline.signIn.perSecond,
        unit: 'sign-ins/s',
      },
      note: `${runs.length} runs (${report.summary.failed} failed) in ${(report.durationMs / 1000).toFixed(1)} s wall, ${report.options.workers} worker(s)`,
      details: {
        runs: runs.length,
        passed: report.summary.passed,
        failed: report.summary.failed,
        wallMs: report.durationMs,
        workers: report.options.workers,
        medianRunMs: medianMs,
        signInMeanMs: baseline.signIn.meanMs,
      },
    }),
    figure(
      {
        id: 'catalogue-workers',
        item: 5,
        title: `Scenario catalogue, default workers (${workers})`,
        value: perSecond,
        unit: 'runs/s',
        higherIsBetter: true,
        comparison: { kind: 'baseline', name: 'one worker', value: alonePerSecond, unit: 'runs/s' },
        note: `${(report.durationMs / 1000).toFixed(1)} s wall with ${workers}, ${(alone.durationMs / 1000).toFixed(1)} s with 1 (${alone.summary.failed} failed)`,
        details: {
          workers,
          wallMs: report.durationMs,
          oneWorkerWallMs: alone.durationMs,
          oneWorkerFailed: alone.summary.failed,
        },
      },
      { text: 'never slower than one worker', met: (ratio) => (ratio ?? 0) >= 1 },
    ),
    figure({
      id: 'catalogue-48h',
      item: 5,
      title: '48-hour scenarios (virtual clock), median run',
      value: longMedianMs,
      unit: 'ms',
      higherIsBetter: false,
      comparison: {
        kind: 'baseline',
        name: 'median catalogue run',
        value: medianMs,
        unit: 'ms',
      },
      note: `${long.length} runs, ${Math.round(long.reduce((sum, run) => sum + run.durationMs, 0))} ms in all, slowest ${Math.round(Math.max(0, ...long.map((run) => run.durationMs)))} ms`,
      details: {
        runs: long.length,
        totalMs: long.reduce((sum, run) => sum + run.durationMs, 0),
        maxMs: Math.max(0, ...long.map((run) => run.durationMs)),
        failed: long.filter((run) => run.status === 'failed').length,
      },
    }),
  ]
}
