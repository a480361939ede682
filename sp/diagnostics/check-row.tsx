import { escapeInvisible } from '../accounts/exact-identifier.ts'
import type { DiagnosticCheck } from './attempt.ts'

const outcomeLabels: Record<DiagnosticCheck['outcome'], string> = {
  pass: 'pass',
  warning: 'warning',
  fail: 'FAIL',
  'not-checked': 'not checked',
  'not-reached': 'not reached',
}

/** A value longer than this is folded: its start shows, a click shows the rest. */
const foldAt = 120

export const checkRowStyles = `
  #checks td:nth-child(1) { width: 12rem; }
  #checks td:nth-child(2) { width: 7rem; white-space: nowrap; font-weight: 600; }
  #checks tr[data-outcome=fail] { background: #fdf3f3; }
  #checks tr[data-outcome=warning] { background: #fffaf0; }
  .values { display: grid; grid-template-columns: minmax(6rem, max-content) 1fr; gap: .1rem .6rem;
    font-size: .85rem; margin: .3rem 0 0; }
  .values dt { color: #434b58; } .values dd { margin: 0; min-width: 0; }
  .values details summary { cursor: pointer; }
  @media (max-width: 640px) {
    #checks thead { display: none; }
    #checks tr, #checks td { display: block; width: auto; }
    #checks td { border: 0; padding: .15rem .5rem; }
    #checks tr { border-bottom: 1px solid #eceef2; padding: .3rem 0; }
    .values { grid-template-columns: 1fr; }
  }
`

/** A long value (a fingerprint list, a URL with a query) wraps, and beyond `foldAt` folds. */
function Value(props: { value: string }) {
  const { value } = props
  if (value.length <= foldAt) return <code>{value}</code>
  return (
    <details>
      <summary>
        <code>{value.slice(0, 60)}…</code> ({value.length} characters)
      </summary>
      <code>{value}</code>
    </details>
  )
}

function Values(props: { entries: [string, string][]; class?: string }) {
  if (props.entries.length === 0) return null
  return (
    <dl class={`values ${props.class ?? ''}`}>
      {props.entries.map(([key, value]) => (
        <>
          <dt>{key}</dt>
          <dd>
            <Value value={value} />
          </dd>
        </>
      ))}
    </dl>
  )
}

/** One check: its name, its outcome in its colour, why, the evidence and what the message said. */
export function CheckRow(props: { check: DiagnosticCheck }) {
  const { check } = props
  const why =
    check.outcome === 'fail' && check.failure
      ? `${check.failure.code}: ${check.failure.reason}`
      : check.outcome === 'not-checked'
        ? (check.notChecked ?? '')
        : check.enforces
  const evidence = Object.entries(check.failure?.evidence ?? {}).map(
    ([key, value]): [string, string] => [key, shownEvidence(value)],
  )
  return (
    <tr data-check={check.check} data-outcome={check.outcome} data-source={check.source}>
      <td>
        {check.check}
        {check.source === 'diagnostics' ? <small> (observation)</small> : null}
      </td>
      <td class={`outcome-${check.outcome}`}>{outcomeLabels[check.outcome]}</td>
      <td>
        {why}
        <Values entries={evidence} class="evidence" />
        {check.warnings.map((warning) => (
          <div class="warning outcome-warning">
            <small>
              warning {warning.code}: {warning.reason}
            </small>
          </div>
        ))}
        <Values entries={Object.entries(check.details)} class="details" />
      </td>
    </tr>
  )
}

/** An evidence value as a person reads it: text with its invisible characters escaped. */
function shownEvidence(value: unknown): string {
  return typeof value === 'string' ? `"${escapeInvisible(value)}"` : JSON.stringify(value)
}
