import type { CatalogueCoverage } from '../model.ts'

const statusText: Record<CatalogueCoverage['status'], string> = {
  covered: 'covered',
  failing: 'failing',
  uncovered: 'no scenario',
}

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
              <td>
                <span class={`rule-status ${item.status}`}>{statusText[item.status]}</span>
              </td>
              <td>
                {item.scenarios.length === 0 ? (
                  <span class="none">none</span>
                ) : (
                  item.scenarios.map((id) => {
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
