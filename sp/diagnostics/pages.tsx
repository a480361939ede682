import { copyScript, Highlighted, highlightStyles } from '../../core/http/highlight.tsx'
import { inlineScript, inlineStyle, Layout } from '../../core/http/layout.tsx'
import { escapeInvisibleInText } from '../accounts/exact-identifier.ts'
import { type SiteLink, SiteNav } from '../pages/site-links.tsx'
import { attemptKindTitle, outcomeLine, type SignInAttempt } from './attempt.ts'
import { CheckRow, checkRowStyles } from './check-row.tsx'

/** Where the downloads of an attempt live, relative to the connection's root. */
export function downloadLinks(prefix: string, id: string) {
  const base = `${prefix}/diagnostics/${id}`
  return { json: `${base}.json`, junit: `${base}.xml`, html: `${base}.html` }
}

const languages = { saml: 'xml', jwt: 'json', json: 'json', form: 'plain' } as const

const styles = `
  ${checkRowStyles}
  ${highlightStyles}
  .message-head { display: flex; flex-wrap: wrap; gap: .5rem; align-items: baseline; }
  details.message { margin: .6rem 0; }
  details.message > summary { cursor: pointer; }
`

/**
 * The top of the page, in one line each: what went wrong and what to change at the IdP, or that
 * the SP accepted (and what any warning asks for).
 */
function Verdict(props: { attempt: SignInAttempt }) {
  const { attempt } = props
  const { failure } = attempt
  if (failure) {
    return (
      <section class="summary rejected error" id="summary" data-error-code={failure.code}>
        <p>
          <strong>What went wrong:</strong> {failure.check} — {failure.reason}{' '}
          <code id="error-code">{failure.code}</code>
        </p>
        <p>
          <strong>What to change at your IdP:</strong> {failure.hint}
        </p>
      </section>
    )
  }
  const [first] = attempt.warnings
  return (
    <section class="summary accepted" id="summary">
      <p>
        {first ? (
          <>
            <strong>Accepted, with a warning:</strong> {first.check} — {first.reason}{' '}
            <code>{first.code}</code>
          </>
        ) : (
          <>
            <strong>Accepted:</strong> every check passed; nothing to change at your IdP.
          </>
        )}
      </p>
    </section>
  )
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
  siteLinks?: readonly SiteLink[]
}) {
  const { attempt, prefix } = props
  const links = downloadLinks(prefix, attempt.id)
  const kind = attemptKindTitle[attempt.kind]
  const accepted = attempt.verdict === 'accepted'
  return (
    <Layout
      title={`${kind} diagnostics ${attempt.id}`}
      side="SP"
      wide
      nav={props.standalone ? undefined : <SiteNav links={props.siteLinks ?? []} />}
    >
      {inlineStyle(styles)}
      <h1>
        {kind}{' '}
        <span
          id="verdict"
          class={`badge ${attempt.verdict}`}
          data-verdict={attempt.verdict}
          style="font-size: inherit"
        >
          {accepted ? 'accepted' : 'refused'}
        </span>
      </h1>
      <p>
        {attempt.protocol.toUpperCase()} · {attempt.binding} · {attempt.at} · attempt{' '}
        <code id="attempt-id">{attempt.id}</code>
      </p>
      <Verdict attempt={attempt} />
      <p id="counts">{outcomeLine(attempt)}</p>
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
            <th scope="col">Check</th>
            <th scope="col">Outcome</th>
            <th scope="col">Why</th>
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
      {attempt.messages.map((message, index) => (
        <details class="message" open>
          <summary>
            <strong>{message.source}</strong> — {escapeInvisibleInText(message.summary)}
          </summary>
          {message.text === '' ? null : (
            <>
              <button
                type="button"
                class="secondary small"
                data-copy={`message-${index + 1}`}
                data-label="Copy"
                aria-label={`Copy ${message.source}`}
              >
                Copy
              </button>
              <Highlighted
                id={`message-${index + 1}`}
                text={escapeInvisibleInText(message.text)}
                language={languages[message.kind]}
              />
            </>
          )}
        </details>
      ))}
      {inlineScript(copyScript)}
    </Layout>
  )
}

function KeyValues(props: { rows: Record<string, string | null>; id: string }) {
  return (
    <table id={props.id}>
      <tbody>
        {Object.entries(props.rows).map(([key, value]) => (
          <tr>
            <th scope="row">{key}</th>
            <td>
              <code>{value ?? '(none)'}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
