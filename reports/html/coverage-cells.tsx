import type { RuleCoverage } from '../model.ts'

/** Rules and catalogue cases share one coverage status: proved, one-sided, failing, or none. */
type CoverageStatus = RuleCoverage['status']

const statusText: Record<CoverageStatus, string> = {
  covered: 'covered',
  'one-sided': 'one side only',
  failing: 'failing',
  uncovered: 'no scenario',
}

/** The status cell of a coverage table (rules, security catalogue). */
export function StatusCell(props: { status: CoverageStatus }) {
  return (
    <td>
      <span class={`rule-status ${props.status}`}>{statusText[props.status]}</span>
    </td>
  )
}

/** The scenarios that exercise a row, linked to their results when this run has them. */
export function ScenariosCell(props: { scenarios: string[]; resultAnchors: Map<string, string> }) {
  return (
    <td>
      {props.scenarios.length === 0 ? (
        <span class="none">none</span>
      ) : (
        props.scenarios.map((id) => {
          const anchor = props.resultAnchors.get(id)
          return anchor ? <a href={`#${anchor}`}>{id}</a> : <code>{id}</code>
        })
      )}
    </td>
  )
}
