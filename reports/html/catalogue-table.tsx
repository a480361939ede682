import type { CatalogueCoverage } from '../model.ts'
import { ScenariosCell, StatusCell } from './coverage-cells.tsx'

/** Each security catalogue case → the results of this run that exercise it. */
export function CatalogueTable(props: {
  catalogue: CatalogueCoverage[]
  resultAnchors: Map<string, string>
}) {
  const { catalogue } = props
  const uncovered = catalogue.filter((item) => item.status === 'uncovered').length
  return (
    <section id="catalogue">
      <h2>Security catalogue coverage</h2>
      <p class="meta">
        {catalogue.length - uncovered} of {catalogue.length} cases of the security catalogue
        exercised by a scenario in this run
        {uncovered > 0 && `; ${uncovered} without any (highlighted)`}.
      </p>
      <table>
        <thead>
          <tr>
            <th>Case</th>
            <th>What</th>
            <th>Status</th>
            <th>Exercised by</th>
          </tr>
        </thead>
        <tbody>
          {catalogue.map((item) => (
            <tr class={`case-${item.status}`} data-case={item.case} data-status={item.status}>
              <td>{item.case}</td>
              <td>{item.title}</td>
              <StatusCell status={item.status} />
              <ScenariosCell scenarios={item.scenarios} resultAnchors={props.resultAnchors} />
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
