import { inlineStyle, Layout } from '../../core/http/layout.tsx'
import { type SiteLink, SiteNav } from '../pages/site-links.tsx'
import { attemptKindTitle, counted, countOutcomes, type SignInAttempt } from './attempt.ts'

const styles = `
  #attempts td, #attempts th { white-space: nowrap; }
  #attempts td.code { white-space: normal; }
`

/** An ISO instant as `2026-12-06 13:26:51 UTC`: short enough to stay on one line. */
function shortInstant(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC')
}

/** GET /diagnostics: the latest attempts, newest first, with their verdicts in colour. */
export function AttemptsIndex(props: {
  attempts: SignInAttempt[]
  prefix: string
  siteLinks?: readonly SiteLink[]
}) {
  return (
    <Layout
      title="Sign-in and logout diagnostics"
      side="SP"
      wide
      nav={<SiteNav links={props.siteLinks ?? []} current={`${props.prefix}/diagnostics`} />}
    >
      {inlineStyle(styles)}
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
      <div class="scroll">
        <table id="attempts">
          <thead>
            <tr>
              <th scope="col">Attempt</th>
              <th scope="col">Verdict</th>
              <th scope="col">Kind</th>
              <th scope="col">When</th>
              <th scope="col">How</th>
              <th scope="col">Failed</th>
              <th scope="col">Warnings</th>
              <th scope="col">Code</th>
            </tr>
          </thead>
          <tbody>
            {props.attempts.map((attempt) => (
              <tr data-attempt={attempt.id} data-verdict={attempt.verdict} data-kind={attempt.kind}>
                <td>
                  <a href={`${props.prefix}/diagnostics/${attempt.id}`}>{attempt.id}</a>
                </td>
                <td>
                  <span class={`badge ${attempt.verdict}`}>{attempt.verdict}</span>
                </td>
                <td>{attemptKindTitle[attempt.kind]}</td>
                <td>
                  <time datetime={attempt.at}>{shortInstant(attempt.at)}</time>
                </td>
                <td>
                  {attempt.protocol.toUpperCase()} · {attempt.binding}
                </td>
                <td>{countOutcomes(attempt).fail}</td>
                <td>{counted(attempt.warnings.length, 'warning')}</td>
                <td class="code">{attempt.failure ? <code>{attempt.failure.code}</code> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  )
}
