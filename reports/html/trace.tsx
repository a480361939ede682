import type { TraceEntry } from '../model.ts'

/**
 * One step's HTTP exchanges: method, URL, status, party, redirect target, decoded messages.
 * `deferred`: the exchanges are in the report's packed traces (deferred-traces.ts) under this
 * number, and the script puts them in when the trace is opened.
 */
export function Trace(props: {
  trace: TraceEntry[]
  open: boolean
  deferred?: number | undefined
}) {
  const { trace } = props
  if (trace.length === 0) return null
  return (
    <details
      class="trace"
      open={props.open}
      data-trace={props.deferred === undefined ? undefined : String(props.deferred)}
    >
      <summary>
        Protocol trace · {trace.length} {trace.length === 1 ? 'exchange' : 'exchanges'}
      </summary>
      {props.deferred === undefined ? (
        <Exchanges trace={trace} open={props.open} />
      ) : (
        <div class="trace-body">
          <noscript>
            <p>Opening a trace needs JavaScript; report.json holds every trace.</p>
          </noscript>
        </div>
      )}
    </details>
  )
}

export function Exchanges(props: { trace: TraceEntry[]; open: boolean }) {
  return (
    <ol class="exchanges">
      {props.trace.map((entry) => (
        <Exchange entry={entry} open={props.open} />
      ))}
    </ol>
  )
}

function Exchange(props: { entry: TraceEntry; open: boolean }) {
  const { entry } = props
  return (
    <li class="exchange">
      <div class="request">
        <span class="method mono">{entry.method}</span>
        <code class="url">{entry.url}</code>
        <span class={`http-status mono http-${Math.floor(entry.status / 100)}xx`}>
          {String(entry.status)}
        </span>
        <span class="chip party">{entry.party}</span>
        <time class="duration" datetime={entry.at}>
          {entry.at}
        </time>
      </div>
      {entry.location !== undefined && (
        <div class="location">
          → <code>{entry.location}</code>
        </div>
      )}
      {entry.messages.map((message) => (
        <details class="decoded" open={props.open}>
          <summary>
            <span class="chip">{message.kind}</span> <b>{message.source}</b> — {message.summary}
          </summary>
          {message.text !== '' && <pre>{message.text}</pre>}
        </details>
      ))}
    </li>
  )
}
