import type { RunReport } from '../model.ts'

/**
 * The filter bar. It starts `hidden`: the inline script shows it, so a reader without scripts
 * never sees controls that do nothing.
 */
export function Filters(props: { report: RunReport }) {
  const { scenarios, summary } = props.report
  const protocols = distinct(scenarios.map((result) => result.protocol))
  const tags = distinct(scenarios.flatMap((result) => result.tags))
  return (
    <form id="filters" hidden>
      <label>
        Status
        <select id="filter-status" name="status">
          <option value="all">all ({summary.total})</option>
          <option value="failed">failed ({summary.failed})</option>
          <option value="passed">passed ({summary.passed})</option>
        </select>
      </label>
      <label>
        Protocol
        <select id="filter-protocol" name="protocol">
          <option value="">all</option>
          {protocols.map((protocol) => (
            <option value={protocol}>{protocol}</option>
          ))}
        </select>
      </label>
      <label>
        Tag
        <select id="filter-tag" name="tag">
          <option value="">all</option>
          {tags.map((tag) => (
            <option value={tag}>{tag}</option>
          ))}
        </select>
      </label>
      <label>
        Search
        <input
          id="filter-text"
          name="text"
          type="search"
          placeholder="id, title, step, message…"
          autocomplete="off"
        />
      </label>
      <p class="shown">
        <span id="count-shown">{String(scenarios.length)}</span> of {scenarios.length} shown
      </p>
    </form>
  )
}

function distinct(values: string[]): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b))
}
