import type { RuleMutation, RunReport } from '../../reports/model.ts'
import type { MutantOutcome } from './run-mutant.ts'

/**
 * Puts each rule's mutation outcome beside its coverage in the baseline run's report: mutants,
 * killed, survivors and invalid ones with their why; a rule is proven when it has mutants and
 * its scenarios killed every one of them.
 */
export function withMutation(report: RunReport, outcomes: MutantOutcome[]): RunReport {
  const byRule = new Map<string, MutantOutcome[]>()
  for (const outcome of outcomes) {
    byRule.set(outcome.mutant.rule, [...(byRule.get(outcome.mutant.rule) ?? []), outcome])
  }
  const rules = report.rules.map((rule) => {
    const mine = byRule.get(rule.id)
    return mine ? { ...rule, mutation: ruleMutation(mine) } : rule
  })
  const rulesProven = rules.filter((rule) => rule.mutation?.proven).length
  return { ...report, rules, summary: { ...report.summary, rulesProven } }
}

function ruleMutation(outcomes: MutantOutcome[]): RuleMutation {
  const killed = outcomes.filter((outcome) => outcome.verdict.kind === 'killed').length
  const survivors = outcomes
    .filter((outcome) => outcome.verdict.kind === 'survived')
    .map(({ mutant }) => ({ file: mutant.file, why: mutant.why }))
  const invalid = outcomes.flatMap(({ mutant, verdict }) =>
    verdict.kind === 'invalid'
      ? [{ file: mutant.file, why: mutant.why, reason: verdict.reason }]
      : [],
  )
  return {
    mutants: outcomes.length,
    killed,
    survivors,
    invalid,
    proven: outcomes.length > 0 && killed === outcomes.length,
  }
}

/** The console table: one line per mutant, grouped by rule, then the totals. */
export function mutationTable(
  report: RunReport,
  outcomes: MutantOutcome[],
  wallMs: number,
): string {
  const lines: string[] = []
  const width = Math.max(...outcomes.map((outcome) => outcome.mutant.id.length), 6)
  for (const { mutant, verdict, ms } of outcomes) {
    const seconds = `${(ms / 1000).toFixed(1)} s`.padStart(7)
    const detail =
      verdict.kind === 'killed'
        ? `killed by ${verdict.by}`
        : verdict.kind === 'survived'
          ? `SURVIVED ${verdict.runs} runs — ${mutant.why}`
          : `invalid: ${verdict.reason} — ${mutant.why}`
    lines.push(`  ${mutant.id.padEnd(width)} ${seconds}  ${detail}`)
  }
  const withMutants = report.rules.filter((rule) => rule.mutation)
  const killed = outcomes.filter((outcome) => outcome.verdict.kind === 'killed').length
  const survived = outcomes.filter((outcome) => outcome.verdict.kind === 'survived').length
  lines.push(
    '',
    `rules proven ${report.summary.rulesProven ?? 0}/${withMutants.length} with mutants (${report.rules.length} rules; ${report.rules.length - withMutants.length} without a mutant yet) · mutants killed ${killed}/${outcomes.length}, ${survived} survived, ${outcomes.length - killed - survived} invalid · ${(wallMs / 1000).toFixed(0)} s wall`,
  )
  return lines.join('\n')
}

/**
 * A mutant of a rule whose scenarios fail unmutated, or killed by a scenario that fails
 * unmutated, proves nothing: invalid.
 */
export function judgedAgainst(baseline: RunReport, outcome: MutantOutcome): MutantOutcome {
  const failingRule = baseline.rules.some(
    (rule) => rule.id === outcome.mutant.rule && rule.status === 'failing',
  )
  const { verdict } = outcome
  const failingKiller =
    verdict.kind === 'killed' &&
    baseline.scenarios.some((result) => result.id === verdict.by && result.status !== 'passed')
  if (!failingRule && !failingKiller) return outcome
  return {
    ...outcome,
    verdict: {
      kind: 'invalid',
      reason: failingRule
        ? "the rule's scenarios fail unmutated"
        : `${verdict.kind === 'killed' ? verdict.by : 'its killer'} fails unmutated`,
    },
  }
}
