import type { RuleCoverage, RunReport } from '../model.ts'

const statusText: Record<RuleCoverage['status'], string> = {
  covered: 'covered',
  failing: 'failing',
  uncovered: 'no scenario',
}

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
              <td>
                <span class={`rule-status ${rule.status}`}>{statusText[rule.status]}</span>
              </td>
              <td>
                {rule.scenarios.length === 0 ? (
                  <span class="none">none</span>
                ) : (
                  rule.scenarios.map((id) => {
                    const anchor = props.resultAnchors.get(id)
                    return anchor ? <a href={`#${anchor}`}>{id}</a> : <code>{id}</code>
                  })
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
