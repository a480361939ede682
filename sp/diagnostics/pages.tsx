import { Layout } from '../../core/http/layout.tsx'
import { escapeInvisible, escapeInvisibleInText } from '../accounts/exact-identifier.ts'
import {
  attemptKindTitle,
  countOutcomes,
  type DiagnosticCheck,
  type SignInAttempt,
} from './attempt.ts'

const outcomeLabels: Record<DiagnosticCheck['outcome'], string> = {
  pass: 'pass',
  warning: 'warning',
  fail: 'FAIL',
  'not-checked': 'not checked',
  'not-reached': 'not reached',
}

const colours: Record<DiagnosticCheck['outcome'], string> = {
  pass: '#1b5e20',
  warning: '#8a5a00',
  fail: '#c62828',
  'not-checked': '#555',
  'not-reached': '#888',
}

/** Where the downloads of an attempt live, relative to the connection's root. */
export function downloadLinks(prefix: string, id: string) {
  const base = `${prefix}/diagnostics/${id}`
  return { json: `${base}.json`, junit: `${base}.xml`, html: `${base}.html` }
}

/**
 * One attempt: the verdict, every check with its outcome and why, what the message said, who
 * signed in, the decoded messages (secrets redacted) and the downloads. Everything from the
 * message goes through JSX text, which escapes it. `standalone` drops the live links (the
 * `.html` download).
 */
export function AttemptPage(props: {
  attempt: SignInAttempt
  prefix: string
  standalone?: boolean
}) {
  const { attempt, prefix } = props
  const counts = countOutcomes(attempt)
  const links = downloadLinks(prefix, attempt.id)
  const kind = attemptKindTitle[attempt.kind]
  return (
    <Layout title={`${kind} diagnostics ${attempt.id}`} side="SP">
      <h1>
        {kind} {attempt.verdict === 'accepted' ? 'accepted' : 'refused'}{' '}
        <span class="badge" id="verdict" data-verdict={attempt.verdict}>
          {attempt.verdict}
        </span>
      </h1>
      <p>
        {attempt.protocol.toUpperCase()} · {attempt.binding} · {attempt.at} · attempt{' '}
        <code id="attempt-id">{attempt.id}</code>
      </p>
      <p id="counts">
        {counts.pass} passed, {counts.warning} warnings, {counts.fail} failed,{' '}
        {counts['not-checked']} not checked, {counts['not-reached']} not reached
      </p>
      {attempt.failure ? (
        <section class="error" data-error-code={attempt.failure.code}>
          <p>
            Error code: <code id="error-code">{attempt.failure.code}</code> at{' '}
            <strong>{attempt.failure.check}</strong> — {attempt.failure.reason}
          </p>
          <p>What to check: {attempt.failure.hint}</p>
        </section>
      ) : null}
      {props.standalone ? null : (
        <p id="downloads">
          Download: <a href={links.json}>JSON</a> · <a href={links.junit}>JUnit XML</a> ·{' '}
          <a href={links.html}>HTML</a>
          {attempt.continueTo ? (
            <>
              {' '}
              ·{' '}
              <a href={attempt.continueTo} id="continue">
                Continue
              </a>
            </>
          ) : null}{' '}
          · <a href={`${prefix}/diagnostics`}>All attempts</a>
        </p>
      )}
      <h2>Checks</h2>
      <table id="checks">
        <thead>
          <tr>
            <th>Check</th>
            <th>Outcome</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {attempt.checks.map((check) => (
            <CheckRow check={check} />
          ))}
        </tbody>
      </table>
      {attempt.identity ? (
        <>
          <h2>Identity</h2>
          <KeyValues rows={attempt.identity} id="identity" />
        </>
      ) : null}
      {attempt.attributes ? (
        <>
          <h2>Attributes</h2>
          <KeyValues
            id="attributes"
            rows={Object.fromEntries(
              Object.entries(attempt.attributes).map(([name, values]) => [name, values.join(', ')]),
            )}
          />
        </>
      ) : null}
      <h2>Messages (secrets redacted)</h2>
      {attempt.messages.length === 0 ? <p>None decoded.</p> : null}
      {attempt.messages.map((message) => (
        <details class="message" open>
          <summary>
            <strong>{message.source}</strong> — {escapeInvisibleInText(message.summary)}
          </summary>
          <pre style="white-space: pre-wrap; font-size: .8rem">
            {escapeInvisibleInText(message.text)}
          </pre>
        </details>
      ))}
    </Layout>
  )
}

function CheckRow(props: { check: DiagnosticCheck }) {
  const { check } = props
  const why =
    check.outcome === 'fail' && check.failure
      ? `${check.failure.code}: ${check.failure.reason}`
      : check.outcome === 'not-checked'
        ? (check.notChecked ?? '')
        : check.enforces
  return (
    <tr data-check={check.check} data-outcome={check.outcome} data-source={check.source}>
      <td>
        {check.check}
        {check.source === 'diagnostics' ? <small> (observation)</small> : null}
      </td>
      <td style={`color: ${colours[check.outcome]}; font-weight: 600`}>
        {outcomeLabels[check.outcome]}
      </td>
      <td>
        {why}
        {check.failure && Object.keys(check.failure.evidence).length > 0 ? (
          <div>
            <small>
              evidence:{' '}
              {Object.entries(check.failure.evidence)
                .map(([key, value]) => `${key}=${shownEvidence(value)}`)
                .join(', ')}
            </small>
          </div>
        ) : null}
        {check.warnings.map((warning) => (
          <div class="warning">
            <small>
              warning {warning.code}: {warning.reason}
            </small>
          </div>
        ))}
        {Object.keys(check.details).length > 0 ? (
          <div>
            <small>
              {Object.entries(check.details).map(([key, value]) => (
                <>
                  {key}: <code>{value}</code>
                  <br />
                </>
              ))}
            </small>
          </div>
        ) : null}
      </td>
    </tr>
  )
}

function KeyValues(props: { rows: Record<string, string | null>; id: string }) {
  return (
    <table id={props.id}>
      <tbody>
        {Object.entries(props.rows).map(([key, value]) => (
          <tr>
            <th>{key}</th>
            <td>
              <code>{value ?? '(none)'}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** GET /diagnostics: the latest attempts, newest first. */
export function AttemptsIndex(props: { attempts: SignInAttempt[]; prefix: string }) {
  return (
    <Layout title="Sign-in and logout diagnostics" side="SP">
      <h1>Sign-in and logout diagnostics</h1>
      <p>
        <a
          class="button"
          href={`${props.prefix}/login?return_url=${encodeURIComponent(`${props.prefix}/`)}`}
        >
          Sign in
        </a>{' '}
        <a href={`${props.prefix}/diagnostics.xml`}>All as JUnit XML</a>
      </p>
      {props.attempts.length === 0 ? <p id="no-attempts">No attempt yet.</p> : null}
      <table id="attempts">
        <tbody>
          {props.attempts.map((attempt) => {
            const counts = countOutcomes(attempt)
            return (
              <tr data-attempt={attempt.id} data-verdict={attempt.verdict} data-kind={attempt.kind}>
                <td>
                  <a href={`${props.prefix}/diagnostics/${attempt.id}`}>{attempt.id}</a>
                </td>
                <td>{attemptKindTitle[attempt.kind]}</td>
                <td>{attempt.at}</td>
                <td>
                  {attempt.protocol.toUpperCase()} · {attempt.binding}
                </td>
                <td>
                  {attempt.verdict}
                  {attempt.failure ? ` (${attempt.failure.code})` : ''}
                </td>
                <td>
                  {counts.fail} failed, {counts.warning} warnings
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </Layout>
  )
}

/** An evidence value as a person reads it: text with its invisible characters escaped. */
function shownEvidence(value: unknown): string {
  return typeof value === 'string' ? `"${escapeInvisible(value)}"` : JSON.stringify(value)
}
