import { formatDuration } from '../duration.ts'
import type { RunReport } from '../model.ts'

export type Verdict = 'passed' | 'failed' | 'empty'

/** Passed only when at least one scenario ran and none failed. */
export function verdictOf(report: RunReport): Verdict {
  if (report.summary.failed > 0) return 'failed'
  return report.summary.total === 0 ? 'empty' : 'passed'
}

const verdictText: Record<Verdict, (report: RunReport) => string> = {
  passed: (report) => `Passed: all ${report.summary.total} scenarios`,
  failed: (report) => `Failed: ${report.summary.failed} of ${report.summary.total} scenarios`,
  empty: () => 'No scenario ran',
}

/** The head of the report: verdict, counts (with stable ids for tests), and how the run was made. */
export function Summary(props: { report: RunReport }) {
  const { report } = props
  const { options, summary } = report
  const verdict = verdictOf(report)
  return (
    <header id="summary" data-verdict={verdict}>
      <h1>ssoproof run report</h1>
      <p class="meta">
        <span class={`verdict verdict-${verdict}`} id="verdict">
          {verdictText[verdict](report)}
        </span>{' '}
        started {report.startedAt} · ssoproof {report.tool.version} · report schema{' '}
        {report.schemaVersion}
      </p>
      <dl class="cards">
        <Card id="count-total" label="Total" value={summary.total} count />
        <Card id="count-passed" label="Passed" value={summary.passed} count kind="passed" />
        <Card
          id="count-failed"
          label="Failed"
          value={summary.failed}
          count
          kind={summary.failed > 0 ? 'failed' : undefined}
        />
        <Card id="run-duration" label="Duration" value={formatDuration(report.durationMs)} />
        <Card id="run-driver" label="Driver" value={options.driver} />
        <Card id="run-seed" label="Seed" value={options.seed} />
        <Card
          id="run-shard"
          label="Shard"
          value={options.shard ? `${options.shard.index}/${options.shard.total}` : 'all'}
        />
        {report.rules.length > 0 && (
          <Card
            id="count-rules-covered"
            label="Rules covered"
            value={`${summary.rulesCovered} of ${summary.rulesCovered + summary.rulesUncovered}`}
          />
        )}
        {summary.rulesProven !== undefined && (
          <Card
            id="count-rules-proven"
            label="Rules proven by mutation"
            value={`${summary.rulesProven} of ${report.rules.length}`}
          />
        )}
        {summary.findings &&
          (['bypass', 'hardening', 'info'] as const).map((severity) => (
            <Card
              id={`count-${severity}`}
              label={`Findings: ${severity}`}
              value={summary.findings?.[severity] ?? 0}
              count
              kind={
                severity === 'bypass' && (summary.findings?.bypass ?? 0) > 0 ? 'failed' : undefined
              }
            />
          ))}
        {summary.catalogueCases !== undefined && (
          <Card
            id="count-catalogue-covered"
            label="Catalogue cases covered"
            value={`${summary.catalogueCovered ?? 0} of ${summary.catalogueCases}`}
          />
        )}
      </dl>
      <p class="run-options" id="run-filters">
        Filters: {filtersText(report)} · workers {options.workers} · sources{' '}
        {options.sources.join(', ') || 'none'}
      </p>
    </header>
  )
}

function Card(props: {
  id: string
  label: string
  value: string | number
  count?: boolean
  kind?: 'passed' | 'failed'
}) {
  const classes = ['card', props.count ? 'count' : '', props.kind ?? ''].filter(Boolean).join(' ')
  return (
    <div class={classes}>
      <dt>{props.label}</dt>
      <dd>
        <span id={props.id}>{String(props.value)}</span>
      </dd>
    </div>
  )
}

/** `grep sign-in · tags smoke · protocols saml, jwt`, or `none`. */
export function filtersText(report: RunReport): string {
  const { grep, tags, protocols } = report.options
  const parts = [
    grep !== undefined ? `grep ${grep}` : '',
    tags.length > 0 ? `tags ${tags.join(', ')}` : '',
    protocols.length > 0 ? `protocols ${protocols.join(', ')}` : '',
  ].filter(Boolean)
  return parts.length > 0 ? parts.join(' · ') : 'none'
}
