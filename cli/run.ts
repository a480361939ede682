import { existsSync, rmdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { systemRandom } from '../core/random/index.ts'
import { makeNamedFolder } from '../core/store/make-folder.ts'
import { checkStoreDriver } from '../core/store/open-database.ts'
import { browserDriverProblem } from '../harness/browser/requirements.ts'
import { builtInCatalogue, loadScenarios } from '../harness/engine/load.ts'
import type { PlannedRun } from '../harness/engine/plan.ts'
import { parseShard } from '../harness/engine/plan.ts'
import { loadRules } from '../harness/engine/rules.ts'
import { defaultWorkers, runScenarios } from '../harness/engine/runner.ts'
import { protocolNames } from '../harness/engine/scenario-schema.ts'
import type { ScenarioResult } from '../reports/model.ts'
import { writeReports } from '../reports/write-reports.ts'
import { noMatchHint } from './no-match-hint.ts'
import { readReporters, reportOptions } from './report-options.ts'
import {
  githubAnnotation,
  paletteFor,
  progressLine,
  ruleShortfallLines,
  runSummaryLine,
} from './run-output.ts'
import { type CommandSpec, parseCommandLine, UsageError } from './usage.ts'

/** How often quiet mode says how far the run is, ms. */
const progressEveryMs = 5_000

const spec: CommandSpec = {
  name: 'run',
  usage:
    'ssoproof run [FILES|DIRS...] [--driver http|browser] [--reporter junit,json,html,markdown] [--out DIR] [--shard i/n] [--grep RE] [--tag T] [--rule ID] [--protocol P] [--seed N] [--workers N] [--run-timeout S]',
  options: {
    driver: {
      type: 'string',
      valueName: 'http|browser',
      description: 'http: in-process requests; browser: clicks the pages in Chromium',
      default: 'http',
    },
    ...reportOptions,
    shard: {
      type: 'string',
      valueName: 'i/n',
      description: 'Run the i-th of n equal slices of the selected scenarios',
    },
    grep: {
      type: 'string',
      valueName: 'RE',
      description: 'Only scenarios whose id, protocol or title matches this regular expression',
    },
    tag: {
      type: 'string',
      valueName: 'T[,T]',
      description: 'Only scenarios with one of these tags',
    },
    rule: {
      type: 'string',
      valueName: 'ID[,ID]',
      description: 'Only scenarios that prove one of these rule ids (scenarios/rules.yaml)',
    },
    protocol: {
      type: 'string',
      valueName: 'P[,P]',
      description: `Only these protocols (${protocolNames.join(', ')})`,
    },
    seed: {
      type: 'string',
      valueName: 'N',
      description: 'Seed for IDs, so a run can be repeated exactly (default: random, printed)',
    },
    workers: {
      type: 'string',
      valueName: 'N',
      description: 'Parallel worker threads (default: up to 4 for http, 1 for browser)',
    },
    'run-timeout': {
      type: 'string',
      valueName: 'S',
      description:
        'A scenario run still going after S seconds fails with SCENARIO_TIMEOUT and the run goes on (default 120)',
    },
    verbose: {
      type: 'boolean',
      description: 'One line per scenario even in CI (the default outside CI)',
    },
    quiet: {
      type: 'boolean',
      description: 'Only failures and the summary (the default when CI is set)',
    },
    'pass-with-no-scenarios': {
      type: 'boolean',
      description: 'Exit 0 when the filters select no scenario (e.g. an empty shard)',
    },
  },
}

export const runCommand = { spec, run }

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(spec, args)
  const driver = String(values.driver)
  if (driver !== 'http' && driver !== 'browser') {
    throw new UsageError(`--driver must be http or browser, got "${driver}"`)
  }
  if (driver === 'browser') {
    const problem = await browserDriverProblem()
    if (problem) throw new UsageError(problem)
  }
  for (const source of positionals) {
    if (!existsSync(source)) {
      throw new UsageError(
        `no such file or folder: ${source} (file not found; give scenario files or folders, or none for the built-in catalogue)`,
      )
    }
  }
  const reporters = readReporters(values.reporter)
  const protocols = list(values.protocol)
  for (const name of protocols) {
    if (!(protocolNames as readonly string[]).includes(name)) {
      throw new UsageError(`unknown protocol "${name}"; choose from ${protocolNames.join(', ')}`)
    }
  }
  let shard: { index: number; total: number } | undefined
  if (values.shard !== undefined) {
    try {
      shard = parseShard(String(values.shard))
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
  }
  const grep = values.grep === undefined ? undefined : String(values.grep)
  if (grep !== undefined) {
    try {
      new RegExp(grep)
    } catch (error) {
      throw new UsageError(`--grep is not a valid regular expression: ${(error as Error).message}`)
    }
  }
  const known = new Set(loadRules().map((rule) => rule.id))
  const unknownRule = list(values.rule).find((id) => !known.has(id))
  if (unknownRule !== undefined) {
    throw new UsageError(`--rule: unknown rule id "${unknownRule}" (see scenarios/rules.yaml)`)
  }
  const seed =
    values.seed === undefined
      ? String(systemRandom.bytes(4).readUInt32BE() % 1_000_000)
      : String(values.seed)
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(seed)) {
    throw new UsageError('--seed must be letters, digits, "-" or "_" (at most 64)')
  }
  const workers = values.workers === undefined ? defaultWorkers(driver) : Number(values.workers)
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    throw new UsageError(
      `--workers must be a whole number from 1 to 64, got "${String(values.workers)}"`,
    )
  }
  const runTimeout = values['run-timeout'] === undefined ? 120 : Number(values['run-timeout'])
  if (!Number.isInteger(runTimeout) || runTimeout < 1 || runTimeout > 86_400) {
    throw new UsageError(
      `--run-timeout must be a whole number of seconds from 1 to 86400, got "${String(values['run-timeout'])}"`,
    )
  }
  // Every run opens its IdP's and SP's stores: a driver that does not load is said once, here,
  // rather than as the same failure of every scenario.
  checkStoreDriver()
  const verbose = values.verbose === true || (values.quiet !== true && !process.env.CI)
  const out = resolve(String(values.out))
  // Made now: a folder that cannot hold the reports is said before the run, not after it.
  const madeOut = makeNamedFolder(out, 'the report folder (--out)', 0o777)
  const write = (line: string) => process.stdout.write(`${line}\n`)
  const palette = paletteFor(process.stdout, process.env)
  const annotate = Boolean(process.env.GITHUB_ACTIONS)
  // Ctrl-C: no further scenario starts, those under way finish, the reports hold what finished.
  // A second Ctrl-C ends the process at once.
  const interrupt = new AbortController()
  const onSigint = () => {
    if (interrupt.signal.aborted) process.exit(130)
    interrupt.abort()
    process.stderr.write(
      '\nssoproof run: stopping after the scenarios under way (Ctrl-C again to quit now)\n',
    )
  }
  process.on('SIGINT', onSigint)

  // Quiet (CI) mode prints only failures, so a progress line every few seconds shows it is alive.
  const progress = { finished: 0, failed: 0, total: 0 }
  const startedAt = performance.now()
  const heartbeat = verbose
    ? undefined
    : setInterval(() => {
        const seconds = Math.round((performance.now() - startedAt) / 1000)
        write(
          `ssoproof run: ${progress.finished}/${progress.total} finished, ${progress.failed} failed, ${seconds} s`,
        )
      }, progressEveryMs)
  heartbeat?.unref()
  const { report, screenshots } = await runScenarios({
    signal: interrupt.signal,
    runTimeoutMs: runTimeout * 1000,
    sources: positionals,
    driver,
    seed,
    workers,
    grep,
    tags: list(values.tag),
    rules: list(values.rule),
    protocols,
    shard,
    onPlan: (runs: PlannedRun[], count: number) => {
      progress.total = runs.length
      const where = shard ? `, shard ${shard.index}/${shard.total}` : ''
      write(
        `ssoproof run: ${runs.length} scenario run${runs.length === 1 ? '' : 's'}, ${driver} driver, ${count} worker${count === 1 ? '' : 's'}, seed ${seed}${where}`,
      )
    },
    onResult: (result: ScenarioResult, finished: number, total: number) => {
      Object.assign(progress, { finished, total })
      if (result.status === 'failed') progress.failed++
      if (verbose || result.status === 'failed') {
        write(progressLine(result, { finished, total }, palette))
      }
      if (annotate && result.status === 'failed') write(githubAnnotation(result))
    },
  }).finally(() => {
    process.off('SIGINT', onSigint)
    clearInterval(heartbeat)
  })

  const { summary } = report
  // Filters that select nothing are a mistake in the command, not a run: no reports (which
  // would overwrite the last real ones with empty ones), exit 2 and what they could match.
  if (summary.total === 0 && !summary.interrupted && values['pass-with-no-scenarios'] !== true) {
    const scenarios = loadScenarios(positionals.length > 0 ? positionals : [builtInCatalogue])
    // Nor the report folder, when this command made it (still empty: rmdir removes no other).
    for (const folder of madeOut.reverse()) {
      try {
        rmdirSync(folder)
      } catch {
        break
      }
    }
    throw new UsageError(noMatchHint(scenarios, { grep, tags: list(values.tag) }))
  }
  const written = await writeReports(report, { outDir: out, reporters, screenshots })
  write('')
  if (summary.interrupted) {
    write(`interrupted after ${summary.interrupted.finished}/${summary.interrupted.planned}`)
  }
  write(runSummaryLine(report))
  if (verbose) for (const line of ruleShortfallLines(report)) write(line)
  for (const path of written) write(`  ${path}`)
  if (summary.interrupted) return 130
  if (summary.failed > 0) write(`Repeat this run exactly with --seed ${seed}.`)
  return summary.failed === 0 ? 0 : 1
}

function list(value: string | boolean | undefined): string[] {
  if (typeof value !== 'string') return []
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}
