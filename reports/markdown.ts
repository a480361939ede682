import { stripControlChars } from './control-chars.ts'
import { formatDuration } from './duration.ts'
import { failureOf } from './failure.ts'
import type { CatalogueCoverage, RunReport, ScenarioResult } from './model.ts'
import { shortfall } from './rule-shortfall.ts'

/** A long run's step summary stays readable: the HTML report has the rest. */
const maxFailedRows = 50
const maxMessageChars = 300

/**
 * `summary.md`, for `$GITHUB_STEP_SUMMARY` and merge-request notes: the verdict, the failed
 * results (when any), rules coverage and the totals by protocol (a table when something failed,
 * one line when all passed, so a green run is a handful of lines).
 */
export function renderMarkdown(report: RunReport): string {
  const { summary, options } = report
  const lines = [`## ${headline(report)}`, '']
  const facts = [
    `${summary.passed} passed`,
    `${summary.failed} failed`,
    `${summary.total} total in ${formatDuration(report.durationMs)}`,
    `driver ${code(options.driver)}`,
    `seed ${code(options.seed)}`,
  ]
  if (options.shard) facts.push(`shard ${options.shard.index}/${options.shard.total}`)
  if (summary.interrupted) {
    facts.push(
      `**interrupted** after ${summary.interrupted.finished}/${summary.interrupted.planned}`,
    )
  }
  lines.push(facts.join(' · '), '')

  const failed = report.scenarios.filter((result) => result.status === 'failed')
  if (summary.findings) {
    const { bypass, hardening, info } = summary.findings
    lines.push(`**Findings:** ${bypass} bypass · ${hardening} hardening · ${info} info`, '')
  }
  if (failed.length > 0 && summary.findings) {
    lines.push('| severity | case | what the SP showed | replay |', '| --- | --- | --- | --- |')
    for (const result of failed.slice(0, maxFailedRows)) lines.push(findingRow(result))
    lines.push('')
  } else if (failed.length > 0) {
    lines.push('| scenario | protocol | failing step | message |', '| --- | --- | --- | --- |')
    for (const result of failed.slice(0, maxFailedRows)) lines.push(failedRow(result))
    if (failed.length > maxFailedRows) {
      lines.push('', `…and ${failed.length - maxFailedRows} more failed; see the HTML report.`)
    }
    lines.push('')
  }

  if (report.rules.length > 0) lines.push(rulesLine(report), '')
  if (report.catalogue) lines.push(catalogueLine(report.catalogue), '')
  const totals = totalsByProtocol(report.scenarios)
  if (failed.length === 0) {
    const counts = totals.map(([protocol, { total }]) => `${cell(protocol)} ${total}`)
    lines.push(`**By protocol:** ${counts.join(' · ') || 'none'}, all passed`)
  } else {
    lines.push('| protocol | passed | failed | total |', '| --- | ---: | ---: | ---: |')
    for (const [protocol, counts] of totals) {
      lines.push(`| ${cell(protocol)} | ${counts.passed} | ${counts.failed} | ${counts.total} |`)
    }
  }
  return `${lines.join('\n')}\n`
}

function headline(report: RunReport): string {
  const { total, failed } = report.summary
  if (failed > 0) return `❌ ssoproof: ${failed} of ${total} scenarios failed`
  if (total === 0) return '⚠️ ssoproof: no scenario ran'
  return `✅ ssoproof: all ${total} scenarios passed`
}

function failedRow(result: ScenarioResult): string {
  const failure = failureOf(result)
  const step = failure ? `${failure.step}. ${failure.text}` : ''
  return `| ${code(result.id)} | ${cell(result.protocol)} | ${cell(step)} | ${cell(clip(failure?.message ?? ''))} |`
}

/** An attack finding: its severity, the case, the identity shown, the replay command. */
function findingRow(result: ScenarioResult): string {
  const attack = result.attack
  const shown = [
    attack?.takeover ? 'TAKEOVER: ' : '',
    attack?.identity ?? '',
    attack?.answered ? ` (${attack.answered})` : '',
  ]
  const replay = attack?.replay ? code(attack.replay.files.join(' ')) : ''
  return `| ${attack?.severity ?? 'info'} | ${code(result.id)} | ${cell(shown.join(''))} | ${replay} |`
}

/**
 * `**Rules:** 5 of 8 covered (+ and −) · uncovered: `ROUTE-1` · + only: `SEARCH-1` · − only:
 * `AUTH-2` · failing: `SESSION-2``, then `proven by mutation` when `npm run mutate` wrote it.
 */
function rulesLine(report: RunReport): string {
  const { rules, summary } = report
  const counted = summary.rulesCovered + summary.rulesUncovered
  const parts = [`**Rules:** ${summary.rulesCovered} of ${counted} covered`]
  if (summary.rulesProven !== undefined) {
    parts.push(`${summary.rulesProven} of ${rules.length} proven by mutation`)
  }
  const groups = new Map<string, string[]>()
  for (const rule of rules) {
    if (rule.status === 'covered') continue
    const label = shortfall(rule) === 'none' ? 'uncovered' : shortfall(rule)
    groups.set(label, [...(groups.get(label) ?? []), code(rule.id)])
  }
  for (const [label, ids] of groups) parts.push(`${label}: ${ids.join(', ')}`)
  const survived = rules.filter((rule) => rule.mutation && !rule.mutation.proven)
  if (survived.length > 0) {
    parts.push(`not proven by mutation: ${survived.map((rule) => code(rule.id)).join(', ')}`)
  }
  return parts.join(' · ')
}

/** `**Security catalogue:** 36 of 38 cases covered · uncovered: 6, 16 · failing: 12`. */
function catalogueLine(catalogue: CatalogueCoverage[]): string {
  const covered = catalogue.filter((item) => item.status !== 'uncovered').length
  const parts = [`**Security catalogue:** ${covered} of ${catalogue.length} cases covered`]
  const numbers = (status: CatalogueCoverage['status']) =>
    catalogue.filter((item) => item.status === status).map((item) => item.case)
  if (numbers('uncovered').length > 0) parts.push(`uncovered: ${numbers('uncovered').join(', ')}`)
  if (numbers('failing').length > 0) parts.push(`failing: ${numbers('failing').join(', ')}`)
  return parts.join(' · ')
}

function totalsByProtocol(results: ScenarioResult[]) {
  const totals = new Map<string, { passed: number; failed: number; total: number }>()
  for (const result of results) {
    const counts = totals.get(result.protocol) ?? { passed: 0, failed: 0, total: 0 }
    counts[result.status] += 1
    counts.total += 1
    totals.set(result.protocol, counts)
  }
  return [...totals].sort(([a], [b]) => a.localeCompare(b))
}

/**
 * Text in a table cell: line breaks become `<br>`, and every character Markdown or HTML would
 * read as syntax is backslash-escaped (CommonMark §2.4), `|` included, so a message can neither
 * break the table nor inject markup.
 */
function cell(text: string): string {
  return stripControlChars(text)
    .trim()
    .replace(/[\\`*_[\]<>|~&!#]/g, (char) => `\\${char}`)
    .replace(/\r?\n/g, '<br>')
}

/** A code span, with a fence longer than any backtick run inside; `|` still escaped for tables. */
function code(text: string): string {
  const flat = stripControlChars(text).replace(/\s+/g, ' ').trim()
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const padded = flat.startsWith('`') || flat.endsWith('`') ? ` ${flat} ` : flat
  return `${fence}${padded.replaceAll('|', '\\|')}${fence}`
}

function clip(text: string): string {
  return text.length > maxMessageChars ? `${text.slice(0, maxMessageChars - 1)}…` : text
}
