import { type ErrorCode, errorCodes } from '../../core/errors/index.ts'
import { Layout } from '../../core/http/layout.tsx'
import type { AgentSite } from './context.ts'

/** What a page says about a refusal: the stable code and one sentence. */
export interface PageError {
  code: ErrorCode
  reason: string
}

function ErrorNote(props: { error: PageError | undefined }) {
  const { error } = props
  if (!error) return null
  return (
    <section class="error" id="login-error" data-error-code={error.code}>
      <p>
        Error code: <code id="error-code">{error.code}</code> — {error.reason}
      </p>
      <p>{errorCodes[error.code].hint}</p>
    </section>
  )
}

/**
 * The sites this SP knows, under the question: on a test bench the tester picks one rather than
 * remembering its number (a production SP would not list its customers).
 */
function SiteList(props: { sites: readonly AgentSite[]; returnPath: string }) {
  if (props.sites.length === 0) return null
  const back = encodeURIComponent(props.returnPath)
  return (
    <>
      <h2>Sites on this test bench</h2>
      <ul id="sites">
        {props.sites.map((site) => (
          <li data-site={site.id}>
            <a href={`/agent/login?site=${encodeURIComponent(site.id)}&return_url=${back}`}>
              <code>{site.id}</code> {site.name ?? ''}
            </a>{' '}
            <span class={site.ssoOn ? 'badge verified' : 'badge muted'}>
              {site.ssoOn ? `SSO (${site.protocol === 'jwt' ? 'JWT' : 'SAML'})` : 'password'}
            </span>
          </li>
        ))}
      </ul>
    </>
  )
}

/** GET /agent/login without a site: the one-time site ID question (Comm100's first SSO login). */
export function SitePromptPage(props: {
  returnPath: string
  sites: readonly AgentSite[]
  value?: string
  error?: PageError
}) {
  return (
    <Layout title="Agent sign-in" side="SP">
      <h1>Agent sign-in</h1>
      <p id="site-prompt">
        First sign-in on this browser: enter your site ID (account number). It is remembered, so
        later sign-ins go straight to your identity provider.
      </p>
      <ErrorNote error={props.error} />
      <form id="site-form" method="get" action="/agent/login">
        <label for="site-id">Site ID</label>
        <input type="text" id="site-id" name="site" value={props.value ?? ''} required />
        <input type="hidden" name="return_url" value={props.returnPath} />
        <p>
          <button type="submit">Continue</button>
        </p>
      </form>
      <SiteList sites={props.sites} returnPath={props.returnPath} />
    </Layout>
  )
}

/**
 * The password form of a site. With SSO on it is still shown, refuses every agent
 * (AGENT_PASSWORD_LOGIN_OFF) and points to SSO.
 */
export function PasswordLoginPage(props: {
  site: AgentSite
  returnPath: string
  loginName?: string
  error?: PageError
}) {
  const { site } = props
  const sso = `/agent/login?site=${encodeURIComponent(site.id)}&return_url=${encodeURIComponent(props.returnPath)}`
  return (
    <Layout title="Agent sign-in" side="SP">
      <h1>
        Agent sign-in · <span id="site-name">{site.name ?? site.id}</span>
      </h1>
      {site.ssoOn ? (
        <p id="sso-on">
          This site signs its agents in with single sign-on; passwords no longer work.{' '}
          <a class="button" id="use-sso" href={sso}>
            Sign in with SSO
          </a>
        </p>
      ) : null}
      <ErrorNote error={props.error} />
      <form id="agent-password-form" method="post" action="/agent/login/password">
        <input type="hidden" name="site" value={site.id} />
        <input type="hidden" name="return_url" value={props.returnPath} />
        <label for="login-name">Login name</label>
        <input
          type="text"
          id="login-name"
          name="loginName"
          value={props.loginName ?? ''}
          autocomplete="username"
          required
        />
        <label for="agent-password">Password</label>
        <input
          type="password"
          id="agent-password"
          name="password"
          autocomplete="current-password"
          required
        />
        <p>
          <button type="submit">Sign in</button>
        </p>
      </form>
    </Layout>
  )
}

/** GET /agent/signed-out: where logout lands when the site configures no logout page. */
export function SignedOutPage() {
  return (
    <Layout title="Signed out" side="SP">
      <h1 id="signed-out">You are signed out</h1>
      <p>
        <a class="button" href="/agent/login">
          Sign in again
        </a>
      </p>
    </Layout>
  )
}

/** GET /agent/login-error?reason=CODE: where a refused sign-in lands without a configured page. */
export function LoginErrorPage(props: { reason: string | undefined }) {
  const code =
    props.reason !== undefined && Object.hasOwn(errorCodes, props.reason)
      ? (props.reason as ErrorCode)
      : undefined
  return (
    <Layout title="Agent sign-in failed" side="SP">
      <section class="error" data-error-code={code ?? ''}>
        <h1>Agent sign-in failed</h1>
        <p>
          Reason: <code id="error-code">{code ?? 'unknown'}</code>
        </p>
        {code ? <p>What to check: {errorCodes[code].hint}</p> : null}
      </section>
      <p>
        <a class="button" href="/agent/login">
          Try again
        </a>
      </p>
    </Layout>
  )
}
