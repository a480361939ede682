// `npm run mutate`: proves each rule by breaking it. Every mutant of scenarios/mutants/<rule>.yaml
// is applied to a copy of the working tree (the checkout is never touched) and the rule's
// scenarios run against it in a child process; the first failing scenario kills it. First the
// scenarios run unmutated (the baseline, and the coverage the HTML report shows beside the
// mutation column); a baseline already run over the same files is read from the cache instead
// (baseline-cache.ts). Options: --rule ID[,ID] (only these rules), --workers N (parallel tree
// copies, default 2), --out DIR (default reports/out/mutation), --fresh (run the baseline even
// when one is cached). Exit 0 when every mutant is killed.
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { packagePath, packageRoot } from '../../core/package/index.ts'
import { loadRules } from '../../harness/engine/rules.ts'
import { runScenarios } from '../../harness/engine/runner.ts'
import type { RunReport } from '../../reports/model.ts'
import { writeReports } from '../../reports/write-reports.ts'
import { baselineSalt, cachePath, readBaseline, treeHash, writeBaseline } from './baseline-cache.ts'
import { loadMutants } from './mutants.ts'
import { judgedAgainst, mutationTable, withMutation } from './mutation-report.ts'
import { type MutantOutcome, MutantWorker } from './run-mutant.ts'
import { copyTree } from './tree-copy.ts'

const { values } = parseArgs({
  options: {
    rule: { type: 'string' },
    workers: { type: 'string', default: '2' },
    out: { type: 'string', default: 'reports/out/mutation' },
    fresh: { type: 'boolean', default: false },
  },
})
const say = (line: string) => process.stdout.write(`${line}\n`)
const rules = loadRules()
const ruleIds = new Set(rules.map((rule) => rule.id))
const only =
  values.rule
    ?.split(',')
    .map((id) => id.trim())
    .filter(Boolean) ?? []
const unknown = only.filter((id) => !ruleIds.has(id))
const workers = Number(values.workers)
if (unknown.length > 0 || !Number.isInteger(workers) || workers < 1 || workers > 16) {
  process.stderr.write(
    unknown.length > 0
      ? `mutate: unknown rule id ${unknown.join(', ')} (see scenarios/rules.yaml)\n`
      : `mutate: --workers must be a whole number from 1 to 16, got "${values.workers}"\n`,
  )
  process.exit(2)
}
const mutants = loadMutants(packagePath('scenarios', 'mutants'), ruleIds).filter(
  (mutant) => only.length === 0 || only.includes(mutant.rule),
)
const started = performance.now()
const interrupt = new AbortController()
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130)
  interrupt.abort()
  process.stderr.write(
    '\nmutate: stopping; the tree copies are removed, the checkout was never changed\n',
  )
})

say(
  `mutate: ${mutants.length} mutants of ${new Set(mutants.map((m) => m.rule)).size} rules, ${workers} workers`,
)
// The tree's hash and its copies are taken first, so the mutants meet the same text as the
// baseline below, run or cached.
const salt = baselineSalt(only)
const hash = treeHash(packageRoot(), salt)
const cached =
  hash === undefined || values.fresh ? undefined : readBaseline(cachePath(packageRoot()), hash)
const copies = copyTree(packageRoot(), workers)
process.on('exit', () => copies.remove())
// The mutants start at once, beside the baseline: a kill is judged against the baseline when
// both are done, so no mutant counts as killed by a scenario that fails unmutated.
const mutantWorkers = copies.paths.map((tree) => new MutantWorker(tree))
for (const worker of mutantWorkers) worker.warm()
say(
  cached
    ? `mutate: baseline — read from the cache for this tree (${hash?.slice(0, 12)}; --fresh runs it again)`
    : 'mutate: baseline — the scenarios unmutated, beside the first mutants',
)
const baselineRun: Promise<RunReport> = cached
  ? Promise.resolve(cached)
  : runScenarios({
      sources: [],
      driver: 'http',
      seed: '1',
      workers,
      rules: only,
      signal: interrupt.signal,
    }).then(({ report }) => {
      // Kept only when no file changed while it ran: it is then this tree's baseline.
      if (
        hash !== undefined &&
        !interrupt.signal.aborted &&
        treeHash(packageRoot(), salt) === hash
      ) {
        writeBaseline(cachePath(packageRoot()), hash, report)
      }
      say(
        `mutate: baseline ${report.summary.passed}/${report.summary.total} passed in ${(report.durationMs / 1000).toFixed(0)} s`,
      )
      return report
    })

let outcomes: MutantOutcome[] = []
let baseline: RunReport
try {
  const queue = [...mutants]
  const work = async (worker: MutantWorker) => {
    try {
      for (let mutant = queue.shift(); mutant; mutant = queue.shift()) {
        if (interrupt.signal.aborted) return
        const outcome = await worker.run(mutant, interrupt.signal)
        outcomes.push(outcome)
        say(`  [${outcomes.length}/${mutants.length}] ${mutant.id} ${outcome.verdict.kind}`)
      }
    } finally {
      worker.close()
    }
  }
  ;[baseline] = await Promise.all([baselineRun, ...mutantWorkers.map(work)])
} finally {
  copies.remove()
}
outcomes = outcomes.map((outcome) => judgedAgainst(baseline, outcome))
if (cached) {
  say(
    `mutate: baseline ${baseline.summary.passed}/${baseline.summary.total} passed when it ran, in ${(baseline.durationMs / 1000).toFixed(0)} s`,
  )
}
if (interrupt.signal.aborted) process.exit(130)

const order = new Map(mutants.map((mutant, index) => [mutant.id, index]))
outcomes.sort((a, b) => (order.get(a.mutant.id) ?? 0) - (order.get(b.mutant.id) ?? 0))
const report = withMutation(baseline, outcomes)
const out = resolve(String(values.out))
const written = await writeReports(report, { outDir: out, reporters: ['json', 'html', 'markdown'] })
say('')
say(mutationTable(report, outcomes, performance.now() - started))
for (const path of written) say(`  ${path}`)
process.exitCode = outcomes.every((outcome) => outcome.verdict.kind === 'killed') ? 0 : 1
