import type { RunReport } from '../model.ts'
import { ScenariosCell, StatusCell } from './coverage-cells.tsx'

/** Each rule → the results of this run that prove it; rules no scenario proves stand out. */
export function RulesTable(props: {
  report: RunReport
  resultAnchors: Map<string, string>
  ruleAnchors: Map<string, string>
}) {
  const { rules, summary } = props.report
  return (
    <section id="rules">
      <h2>Rules coverage</h2>
      <p class="meta">
        {summary.rulesCovered} of {summary.rulesCovered + summary.rulesUncovered} rules proved by a
        scenario in this run
        {summary.rulesUncovered > 0 && `; ${summary.rulesUncovered} without any (highlighted)`}.
      </p>
      <table>
        <thead>
          <tr>
            <th>Rule</th>
            <th>Title</th>
            <th>Section</th>
            <th>Status</th>
            <th>Proved by</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => (
            <tr
              class={`rule-${rule.status}`}
              id={props.ruleAnchors.get(rule.id)}
              data-rule-id={rule.id}
              data-status={rule.status}
            >
              <td>
                <code>{rule.id}</code>
              </td>
              <td>{rule.title}</td>
              <td>{rule.section}</td>
              <StatusCell status={rule.status} />
              <ScenariosCell scenarios={rule.scenarios} resultAnchors={props.resultAnchors} />
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
