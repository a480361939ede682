import { formatDuration } from './duration.ts'
import { failureOf, tracedStepAt } from './failure.ts'
import type { ScenarioResult, TraceEntry } from './model.ts'
import { stepMarks } from './step-marks.ts'

/**
 * The plain-text account of a failed result, as a JUnit `<failure>` body shows it: expected vs
 * actual, every step with ✓/✗/–, then the failing step's protocol trace with decoded messages.
 */
export function renderFailureText(result: ScenarioResult): string {
  const failure = failureOf(result)
  if (!failure) return ''
  const lines: string[] = [`Step ${failure.step}: ${failure.text}`]
  if (failure.expected !== undefined) lines.push(...labelled('Expected: ', failure.expected))
  if (failure.actual !== undefined) lines.push(...labelled('Actual:   ', failure.actual))

  lines.push('', 'Steps:')
  for (const step of result.steps) {
    lines.push(
      `  ${stepMarks[step.status]} ${step.index}. ${step.text} (${step.kind}${timing(step)})`,
    )
    const message = step.message ?? (step.index === failure.step ? failure.message : undefined)
    if ((step.index === failure.step || step.status === 'failed') && message) {
      lines.push(...indent(message, 7))
    }
  }

  lines.push('', ...traceSection(result, failure.step))
  if (failure.stepResult?.screenshot) lines.push('', `Screenshot: ${failure.stepResult.screenshot}`)
  return `${lines.join('\n')}\n`
}

/** The exchanges that explain the failure, saying whose they are (see `tracedStepAt`). */
function traceSection(result: ScenarioResult, failedAt: number): string[] {
  const traced = tracedStepAt(result, failedAt)
  if (!traced) return [`Protocol trace of step ${failedAt}: no HTTP exchange`]
  const heading =
    traced.index === failedAt
      ? `Protocol trace of step ${failedAt}:`
      : `Protocol trace: step ${failedAt} made no HTTP exchange; the last before it, step ${traced.index}:`
  return [heading, ...traced.trace.flatMap(traceLines)]
}

function timing(step: ScenarioResult['steps'][number]): string {
  return step.status === 'not-run' ? ', not run' : `, ${formatDuration(step.durationMs)}`
}

function traceLines(entry: TraceEntry): string[] {
  const lines = [`  ${entry.method} ${entry.url} → ${entry.status} (${entry.party}, ${entry.at})`]
  if (entry.location !== undefined) lines.push(`      Location: ${entry.location}`)
  for (const message of entry.messages) {
    lines.push(`      [${message.kind}] ${message.source}: ${message.summary}`)
    lines.push(...indent(message.text, 8))
  }
  return lines
}

/** `Expected: first line` with later lines lined up under the first. */
function labelled(label: string, text: string): string[] {
  const [first = '', ...rest] = text.split(/\r?\n/)
  return [`${label}${first}`, ...rest.map((line) => `${' '.repeat(label.length)}${line}`)]
}

function indent(text: string, width: number): string[] {
  return text.split(/\r?\n/).map((line) => `${' '.repeat(width)}${line}`.trimEnd())
}
