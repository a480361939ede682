import type { RuleCoverage, RunReport } from '../model.ts'
import { ScenariosCell, StatusCell } from './coverage-cells.tsx'

/**
 * Each rule → the results of this run that prove it, positive and negative apart; rules short of
 * either side stand out. In `npm run mutate`'s report, each rule's mutants killed beside it.
 */
export function RulesTable(props: {
  report: RunReport
  resultAnchors: Map<string, string>
  ruleAnchors: Map<string, string>
}) {
  const { rules, summary } = props.report
  const mutated = rules.some((rule) => rule.mutation !== undefined)
  const short = summary.rulesUncovered
  return (
    <section id="rules">
      <h2>Rules coverage</h2>
      <p class="meta">
        {summary.rulesCovered} of {summary.rulesCovered + summary.rulesUncovered} rules proved by a
        positive and a negative scenario in this run
        {short > 0 && `; ${short} short of one or both (highlighted)`}
        {summary.rulesProven !== undefined &&
          `; ${summary.rulesProven} of ${rules.length} proven by mutation (every mutant killed)`}
        .
      </p>
      <table>
        <thead>
          <tr>
            <th>Rule</th>
            <th>Title</th>
            <th>Section</th>
            <th>Status</th>
            <th>Positive</th>
            <th>Negative</th>
            {mutated && <th>Mutants killed</th>}
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => {
            const negative = new Set(rule.negative ?? [])
            return (
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
                <ScenariosCell
                  scenarios={rule.scenarios.filter((id) => !negative.has(id))}
                  resultAnchors={props.resultAnchors}
                />
                <ScenariosCell scenarios={[...negative]} resultAnchors={props.resultAnchors} />
                {mutated && <MutationCell rule={rule} />}
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}

function MutationCell(props: { rule: RuleCoverage }) {
  const mutation = props.rule.mutation
  if (!mutation) return <td class="none">no mutant</td>
  return (
    <td class={`mutation ${mutation.proven ? 'proven' : 'survived'}`}>
      {mutation.killed}/{mutation.mutants}
      {mutation.survivors.map((survivor) => (
        <div>
          survived: <code>{survivor.file}</code> — {survivor.why}
        </div>
      ))}
      {mutation.invalid.map((invalid) => (
        <div>
          invalid: <code>{invalid.file}</code> — {invalid.reason}
        </div>
      ))}
    </td>
  )
}
