import type { TraceEntry } from '../model.ts'

/** One step's HTTP exchanges: method, URL, status, party, redirect target, decoded messages. */
export function Trace(props: { trace: TraceEntry[]; open: boolean }) {
  const { trace } = props
  if (trace.length === 0) return null
  return (
    <details class="trace" open={props.open}>
      <summary>
        Protocol trace · {trace.length} {trace.length === 1 ? 'exchange' : 'exchanges'}
      </summary>
      <ol class="exchanges">
        {trace.map((entry) => (
          <Exchange entry={entry} open={props.open} />
        ))}
      </ol>
    </details>
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
