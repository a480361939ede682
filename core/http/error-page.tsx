import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { type Evidence, SsoError } from '../errors/index.ts'
import { Layout } from './layout.tsx'

function EvidenceTable(props: { evidence: Evidence }) {
  const rows = Object.entries(props.evidence)
  if (rows.length === 0) return null
  return (
    <table>
      <tbody>
        {rows.map(([key, value]) => (
          <tr>
            <th>{key}</th>
            <td>
              <code>{Array.isArray(value) ? value.join(', ') : String(value)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/**
 * Renders an SsoError as a page with its stable code, what failed and what to check. Evidence is
 * already redacted by whoever raised the error.
 */
export function renderError(c: Context, error: SsoError, side: 'IdP' | 'SP') {
  c.header('Cache-Control', 'no-store')
  return c.html(
    <Layout title="Sign-in failed" side={side}>
      <section class="error" data-error-code={error.code}>
        <h1>Sign-in failed</h1>
        <p>
          Error code: <code id="error-code">{error.code}</code>
        </p>
        <p>
          Check: <strong>{error.check}</strong> — {error.reason}
        </p>
        <p>What to check: {error.hint}</p>
      </section>
      <EvidenceTable evidence={error.evidence} />
      <p>
        <a href="/">Back to the start page</a>
      </p>
    </Layout>,
    error.status as ContentfulStatusCode,
  )
}

/** The one `onError` of both apps: SsoErrors become their page; anything else a 500 page. */
export function errorHandler(side: 'IdP' | 'SP', log: (line: string) => void = console.error) {
  return (error: Error, c: Context) => {
    if (error instanceof SsoError) {
      log(`${side} ${c.req.method} ${c.req.path} ${error.code} ${error.check}`)
      return renderError(c, error, side)
    }
    log(`${side} ${c.req.method} ${c.req.path} INTERNAL ${error.name}`)
    return renderError(c, new SsoError('INTERNAL', 'server', 'an unexpected error occurred'), side)
  }
}
