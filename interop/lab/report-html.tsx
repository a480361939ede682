import type { CellResult, LabReport } from './report.ts'

const styles = `
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
td.mark{text-align:center;font-weight:bold}.passed{color:#1a7f37}.failed{color:#cf222e}
details{margin:.4rem 0;border:1px solid #d0d7de;border-radius:6px;padding:.4rem .8rem}
summary{cursor:pointer}pre{white-space:pre-wrap;background:#f6f8fa;padding:.5rem;max-height:30rem;overflow:auto;font-size:13px}
`

/**
 * `index.html`: the matrix, then every cell with what the peers observed and, for failures, the
 * peer logs of that moment. Self-contained; all content goes through JSX, which escapes it.
 */
export function renderLabHtml(report: LabReport): string {
  const flows = [...new Set(report.cells.map((cell) => cell.flow))]
  const present = new Set(report.cells.map((cell) => cell.row))
  const byKey = new Map(report.cells.map((cell) => [`${cell.row}/${cell.flow}`, cell]))
  const { passed, failed, total } = report.summary
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{`ssoproof interop lab · ${failed === 0 ? 'passed' : `${failed} failed`}`}</title>
        <style dangerouslySetInnerHTML={{ __html: styles }} />
      </head>
      <body>
        <h1>ssoproof interop lab</h1>
        <p>
          {`${passed} of ${total} cells passed${failed > 0 ? `, ${failed} failed` : ''} · started ${report.startedAt} · ${(report.durationMs / 1000).toFixed(1)} s`}
        </p>
        <table>
          <thead>
            <tr>
              <th>peer</th>
              {flows.map((flow) => (
                <th>{flow}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.rows
              .filter((row) => present.has(row.id))
              .map((row) => (
                <tr>
                  <th>{row.title}</th>
                  {flows.map((flow) => {
                    const cell = byKey.get(`${row.id}/${flow}`)
                    if (!cell) return <td class="mark">–</td>
                    return (
                      <td class={`mark ${cell.status}`}>
                        <a href={`#${cell.id}`}>{cell.status === 'passed' ? '✓' : '✗'}</a>
                      </td>
                    )
                  })}
                </tr>
              ))}
          </tbody>
        </table>
        <h2>Peers</h2>
        <ul>
          {report.peers.map((peer) => (
            <li class={peer.started ? 'passed' : 'failed'}>
              {`${peer.title}${peer.version ? ` ${peer.version}` : ''}: ${peer.started ? `started in ${Math.round(peer.startMs)} ms` : `did not start: ${peer.error ?? ''}`}`}
            </li>
          ))}
        </ul>
        <h2>Cells</h2>
        {report.cells.map((cell) => (
          <Cell cell={cell} />
        ))}
      </body>
    </html>
  )
  return `<!doctype html>\n${page.toString()}`
}

function Cell({ cell }: { cell: CellResult }) {
  return (
    <details id={cell.id} open={cell.status === 'failed'}>
      <summary class={cell.status}>
        {`${cell.status === 'passed' ? '✓' : '✗'} ${cell.id} — ${cell.title} (${Math.round(cell.durationMs)} ms)`}
      </summary>
      {cell.failure ? <p class="failed">{cell.failure}</p> : null}
      <table>
        <tbody>
          {cell.observations.map((o) => (
            <tr>
              <td class={o.ok ? 'passed' : 'failed'}>{o.ok ? 'ok' : 'FAIL'}</td>
              <td>{o.what}</td>
              <td>{o.actual}</td>
              <td>{o.ok ? '' : `expected ${o.expected}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {cell.logs.map((log) => (
        <details>
          <summary>{log.file}</summary>
          <pre>{log.text}</pre>
        </details>
      ))}
    </details>
  )
}
