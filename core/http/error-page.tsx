import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { type ErrorCode, type Evidence, SsoError } from '../errors/index.ts'
import { Layout } from './layout.tsx'
import { renderHtml } from './render-html.ts'

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

/** Refusals of who asks (core/http/guard), not of a sign-in: their page says so. */
const requestRefusals: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'HOST_NOT_ALLOWED',
  'CROSS_SITE_REQUEST_REFUSED',
  'FORM_TOKEN_INVALID',
  'ADMIN_TOKEN_REQUIRED',
  'ADMIN_JSON_REQUIRED',
])

/** Codes that say a page or record does not exist: not a failed sign-in. */
const notFound: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'NOT_FOUND',
  'SP_DIAGNOSTICS_NOT_FOUND',
  'SP_CONVERSATION_NOT_FOUND',
])

/**
 * What the visitor was doing when an error stopped them, by the path it happened at: logging out
 * at a SingleLogoutService, a logout or sign-off route or end_session (either side, any campaign
 * prefix), else signing in.
 */
const titles: readonly (readonly [RegExp, string])[] = [
  [/\/(saml\/slo|logout|logout\/continue|end-session|[a-z]+-logout|sign-off)$/, 'Logout failed'],
  [/.*/, 'Sign-in failed'],
]

export function errorTitle(path: string, code?: ErrorCode): string {
  if (code !== undefined && notFound.has(code)) return 'Page not found'
  if (code !== undefined && requestRefusals.has(code)) return 'Request refused'
  return titles.find(([pattern]) => pattern.test(path))?.[1] ?? 'Sign-in failed'
}

/**
 * Renders an SsoError as a page with its stable code, what failed and what to check. Evidence is
 * already redacted by whoever raised the error.
 */
export function renderError(c: Context, error: SsoError, side: 'IdP' | 'SP') {
  c.header('Cache-Control', 'no-store')
  const title = errorTitle(c.req.path, error.code)
  return c.html(
    renderHtml(
      <Layout title={title} side={side}>
        <section class="error" data-error-code={error.code}>
          <h1>{title}</h1>
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
    ),
    error.status as ContentfulStatusCode,
  )
}

/** Scripts (the admin and session APIs, or a client asking for JSON) get the finding as JSON. */
function wantsJson(c: Context): boolean {
  if (c.req.path.startsWith('/admin/') || /(?:^|\/)api\//.test(c.req.path)) return true
  const accept = c.req.header('accept') ?? ''
  return accept.includes('application/json') && !accept.includes('text/html')
}

/**
 * What an unexpected error was, without its message (which may quote a token): its class and the
 * machine code a library gave it (SqliteError SQLITE_BUSY_SNAPSHOT, Node's ECONNRESET).
 */
function causeOf(error: Error): string {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code)
    ? `${error.name} ${code}`
    : error.name
}

/** The one `onError` of both apps: SsoErrors become their page; anything else a 500 page. */
export function errorHandler(side: 'IdP' | 'SP', log: (line: string) => void = console.error) {
  return (error: Error, c: Context) => {
    const known = error instanceof SsoError
    const sso = known ? error : new SsoError('INTERNAL', 'server', 'an unexpected error occurred')
    log(`${side} ${c.req.method} ${c.req.path} ${sso.code} ${known ? sso.check : causeOf(error)}`)
    if (wantsJson(c)) {
      return c.json(
        { error: { ...sso.toFinding(), hint: sso.hint } },
        sso.status as ContentfulStatusCode,
      )
    }
    return renderError(c, sso, side)
  }
}
