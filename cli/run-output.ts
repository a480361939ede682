import type { RunReport, ScenarioResult } from '../reports/model.ts'
import { shortfall } from '../reports/rule-shortfall.ts'

/**
 * What `ssoproof run` prints as scenarios finish: one line each (`[12/289] ✓ id (85 ms)`), the
 * failure's step, expected and actual under a failed one; green and red only on a terminal.
 */
export interface Palette {
  passed(text: string): string
  failed(text: string): string
}

const plain: Palette = { passed: (text) => text, failed: (text) => text }
const ansi: Palette = {
  passed: (text) => `\u001b[32m${text}\u001b[39m`,
  failed: (text) => `\u001b[31m${text}\u001b[39m`,
}

/**
 * Colour on a terminal only: NO_COLOR (any value but empty) turns it off, FORCE_COLOR turns it
 * on (FORCE_COLOR=0 or false: off), as https://no-color.org and force-color.org ask.
 */
export function paletteFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Palette {
  if (env.NO_COLOR) return plain
  const force = env.FORCE_COLOR
  if (force !== undefined) return force === '0' || force === 'false' ? plain : ansi
  return stream.isTTY === true ? ansi : plain
}

export function progressLine(
  result: ScenarioResult,
  position: { finished: number; total: number },
  palette: Palette,
): string {
  const counter = `[${String(position.finished).padStart(String(position.total).length)}/${position.total}]`
  const ms = `${Math.round(result.durationMs)} ms`
  if (result.status === 'passed') return `  ${counter} ${palette.passed('✓')} ${result.id} (${ms})`
  const failure = result.failure
  const detail = failure ? ` — step ${failure.step} "${failure.text}": ${failure.message}` : ''
  const lines = [`  ${counter} ${palette.failed('✗')} ${result.id} (${ms})${detail}`]
  if (failure?.expected !== undefined) lines.push(indent('expected', failure.expected))
  if (failure?.actual !== undefined) lines.push(indent('actual  ', failure.actual))
  lines.push(`      ${result.file}`)
  return lines.join('\n')
}

function indent(label: string, text: string): string {
  const [first, ...rest] = text.split('\n')
  return [`      ${label} ${first}`, ...rest.map((line) => `               ${line}`)].join('\n')
}

/** `288 passed, 1 failed, 289 total in 14.20 s · rules covered 29/29 · …`, coverage when reported. */
export function runSummaryLine(report: RunReport): string {
  const { summary } = report
  const parts = [
    `${summary.passed} passed, ${summary.failed} failed, ${summary.total} total in ${(report.durationMs / 1000).toFixed(2)} s`,
  ]
  if (report.rules.length > 0) {
    parts.push(
      `rules covered ${summary.rulesCovered}/${summary.rulesCovered + summary.rulesUncovered}`,
    )
  }
  if (summary.rulesProven !== undefined) {
    parts.push(`rules proven ${summary.rulesProven}/${report.rules.length}`)
  }
  if (summary.catalogueCases !== undefined) {
    parts.push(`catalogue cases covered ${summary.catalogueCovered ?? 0}/${summary.catalogueCases}`)
  }
  return parts.join(' · ')
}

/**
 * The rules short of a positive and a negative passing result, one line each
 * (`  account-return-url  + only`), for the console after the summary line.
 */
export function ruleShortfallLines(report: RunReport): string[] {
  const short = report.rules.filter((rule) => rule.status !== 'covered')
  if (short.length === 0) return []
  const width = Math.max(...short.map((rule) => rule.id.length))
  return [
    `rules short of a + and a − scenario (${short.length}):`,
    ...short.map((rule) => `  ${rule.id.padEnd(width)}  ${shortfall(rule)}`),
  ]
}

/**
 * A GitHub Actions workflow command for a failed result (`::error file=…,title=…::…`), so the
 * failure shows on the pull request beside the scenario file. Values are escaped as the runner
 * expects (%, CR, LF; in properties also `:` and `,`).
 */
export function githubAnnotation(result: ScenarioResult): string {
  const failure = result.failure
  const message = failure
    ? `step ${failure.step} "${failure.text}": ${failure.message}${failure.expected !== undefined ? `\nexpected ${failure.expected}` : ''}${failure.actual !== undefined ? `\nactual   ${failure.actual}` : ''}`
    : 'failed'
  return `::error file=${property(result.file)},title=${property(`ssoproof: ${result.id}`)}::${data(message)}`
}

const data = (text: string) =>
  text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
const property = (text: string) => data(text).replaceAll(':', '%3A').replaceAll(',', '%2C')
