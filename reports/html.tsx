import { CatalogueTable } from './html/catalogue-table.tsx'
import { deferTraces, traceScript } from './html/deferred-traces.tsx'
import { filterScript } from './html/filter-script.ts'
import { Filters } from './html/filters.tsx'
import { RulesTable } from './html/rules-table.tsx'
import { Scenario } from './html/scenario.tsx'
import { styles } from './html/styles.ts'
import { Summary, verdictOf } from './html/summary.tsx'
import type { RunReport, ScenarioResult } from './model.ts'
import { rerunCommand } from './rerun-command.ts'

export interface HtmlOptions {
  /** PNG bytes by the `screenshot` path of a step (relative to the out folder), to embed. */
  screenshots?: Record<string, Uint8Array>
}

/**
 * `report.html`: one self-contained page (inline CSS, one small inline script, screenshots as
 * data URLs) with the summary, filters, every scenario's steps and traces, and rules coverage.
 * Report content only ever goes through JSX text and attributes, which hono/jsx escapes; the
 * stylesheet and the script are this module's own constants.
 */
export function renderHtml(report: RunReport, options: HtmlOptions = {}): string {
  const resultAnchors = new Map(report.scenarios.map((result, i) => [result.id, `result-${i + 1}`]))
  const ruleAnchors = new Map(report.rules.map((rule, i) => [rule.id, `rule-${i + 1}`]))
  const verdict = verdictOf(report)
  const deferred = deferTraces(report)
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content={`ssoproof ${report.tool.version}`} />
        <title>{`ssoproof · ${verdict === 'passed' ? 'passed' : `${report.summary.failed} failed`} · ${report.startedAt}`}</title>
        <style dangerouslySetInnerHTML={{ __html: styles }} />
      </head>
      <body data-verdict={verdict}>
        <main>
          <Summary report={report} />
          <section id="scenarios">
            <h2>Scenarios</h2>
            <Filters report={report} />
            {groupByFile(report.scenarios).map(([file, results]) => (
              <section class="file-group" data-file={file}>
                <h3>
                  <code>{file}</code> <FileCounts results={results.map(([result]) => result)} />
                </h3>
                {results.map(([result, index]) => (
                  <Scenario
                    result={result}
                    anchor={resultAnchors.get(result.id) ?? ''}
                    ruleAnchors={ruleAnchors}
                    screenshots={options.screenshots ?? {}}
                    deferredTrace={(step) => deferred.numberOf(index, step)}
                    rerun={rerunCommand(result, report.options)}
                  />
                ))}
              </section>
            ))}
            <p id="no-match" hidden={report.scenarios.length > 0}>
              No scenario matches these filters.
            </p>
          </section>
          {report.rules.length > 0 && (
            <RulesTable report={report} resultAnchors={resultAnchors} ruleAnchors={ruleAnchors} />
          )}
          {report.catalogue && (
            <CatalogueTable catalogue={report.catalogue} resultAnchors={resultAnchors} />
          )}
        </main>
        {deferred.packed !== '' && (
          <script
            type="application/gzip;base64"
            id="trace-data"
            dangerouslySetInnerHTML={{ __html: deferred.packed }}
          />
        )}
        <script dangerouslySetInnerHTML={{ __html: `${filterScript};${traceScript}` }} />
      </body>
    </html>
  )
  return `<!doctype html>\n${page.toString()}\n`
}

/** Results by scenario file, files in the order they first appear, results in report order. */
function groupByFile(results: ScenarioResult[]): [string, [ScenarioResult, number][]][] {
  const groups = new Map<string, [ScenarioResult, number][]>()
  results.forEach((result, index) => {
    const group = groups.get(result.file) ?? []
    group.push([result, index])
    groups.set(result.file, group)
  })
  return [...groups]
}

function FileCounts(props: { results: ScenarioResult[] }) {
  const failed = props.results.filter((result) => result.status === 'failed').length
  return (
    <span class="file-counts">
      {props.results.length} run{props.results.length === 1 ? '' : 's'}
      {failed > 0 ? <span class="failed-count"> · {failed} failed</span> : null}
    </span>
  )
}
