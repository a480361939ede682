import type { Context, Hono } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { isoInstant } from '../../core/clock/index.ts'
import { SsoError } from '../../core/errors/index.ts'
import { Layout } from '../../core/http/layout.tsx'
import { renderHtml } from '../../core/http/render-html.ts'
import { newToken } from '../../core/random/index.ts'
import { tokenKey } from '../../core/store/token-key.ts'
import type { SpContext } from '../context.ts'
import { type SiteLink, SiteNav } from '../pages/site-links.tsx'
import { counted, type SignInAttempt } from './attempt.ts'
import { renderAttemptsJunit } from './junit.ts'

type StepId = 'sign-in' | 'logout' | 'artifact'
type StepStatus = 'pending' | 'passed' | 'failed' | 'not-available'

interface Step {
  id: StepId
  title: string
  status: StepStatus
  reason: string
  attemptId?: string
}

/** One browser's certification, found by its `ssoproof_check_all` cookie. */
interface Progress {
  steps: Step[]
  /**
   * Logout was started (POST /check-all/logout) and has not come back to /check-all/logged-out
   * yet: whether this browser had an SP session then, and the ID of the LogoutRequest the SP
   * sent for it (SAML), which only a validated LogoutResponse may answer.
   */
  logout?: { hadSession: boolean; requestId?: string }
}

/** The cookie that tells one visitor's certification from another's (random, httpOnly). */
export const checkAllCookie = 'ssoproof_check_all'

/** How many browsers' progress is kept (the oldest go first). */
const keptProgress = 50

/** What `--check-all` certifies: each step, its status and why, and the attempts behind it. */
export interface CheckAllSummary {
  verdict: 'passed' | 'failed' | 'incomplete'
  at: string
  protocol: string
  steps: Step[]
  attempts: SignInAttempt[]
}

/**
 * `ssoproof sp --check-all`: a guided page that walks the visitor through sign-in, logout (single
 * logout where the IdP has it) and, for SAML with an artifact resolution service, sign-in over
 * HTTP-Artifact; then a summary with the same downloads as one attempt. Each step is passed,
 * failed or not available, with the reason. Each browser certifies on its own: its progress is
 * found by the `ssoproof_check_all` cookie, which the callback ending a sign-in step carries too,
 * so two visitors at once never move each other's steps. Routes, under the connection:
 *   GET  /check-all              progress and the next step's button; the summary at the end
 *   POST /check-all/logout       marks logout started, then on to POST /logout (307)
 *   GET  /check-all/logged-out   where logout comes back: signed out → passed
 *   POST /check-all/reset        start over
 *   GET  /check-all/summary.json, .xml, .html   the summary downloads
 */
export function mountCheckAll(app: Hono, ctx: SpContext): void {
  const diagnostics = ctx.diagnostics
  if (!diagnostics) {
    throw new SsoError('CONFIG_INVALID', 'diagnostics', '--check-all needs the diagnostics on', {})
  }
  const { options, pathPrefix: prefix } = ctx
  const home = `${prefix}/check-all`
  const progress = new Map<string, Progress>()

  /** This browser's progress, found by its cookie; a browser without one is given one. */
  const progressOf = (c: Context): Progress => {
    let token = getCookie(c, checkAllCookie)
    if (!token) {
      token = newToken(options.random)
      setCookie(c, checkAllCookie, token, {
        httpOnly: true,
        path: '/',
        // The callback (the IdP's POST to the ACS) must carry it, as the SP's pending-request
        // cookie: see start-login.ts. Over plain http IdP and SP share a site and Lax is enough.
        ...(options.baseUrl.startsWith('https:')
          ? { sameSite: 'None', secure: true }
          : { sameSite: 'Lax' }),
      })
    }
    const key = tokenKey(token)
    let found = progress.get(key)
    if (!found) {
      found = startProgress(options)
      progress.set(key, found)
      for (const oldest of progress.keys()) {
        if (progress.size <= keptProgress) break
        progress.delete(oldest)
      }
    }
    return found
  }

  /** The progress of the browser behind a request, by its cookie; none without one. */
  const progressBehind = (c: Context) => {
    const token = getCookie(c, checkAllCookie)
    return token === undefined ? undefined : progress.get(tokenKey(token))
  }
  diagnostics.onLogoutSent.push((sent, c) => {
    const mine = progressBehind(c)
    if (mine?.logout) mine.logout.requestId = sent.id
  })
  diagnostics.onAttempt.push((attempt, c) => {
    // Only the browser certifying moves on; an attempt without its cookie is nobody's step.
    const mine = progressBehind(c)
    const next = currentStep(mine)
    if (!mine || !next) return
    if (attempt.kind === 'logout') {
      if (next.id === 'logout') logoutAnswered(mine, next, attempt)
      return
    }
    if (next.id === 'logout') return
    next.attemptId = attempt.id
    if (attempt.verdict === 'rejected') {
      next.status = 'failed'
      next.reason = `${attempt.failure?.code} at ${attempt.failure?.check}: ${attempt.failure?.reason}`
    } else if (next.id === 'artifact' && attempt.binding !== 'HTTP-Artifact') {
      next.status = 'failed'
      next.reason = `the IdP answered by ${attempt.binding}, not HTTP-Artifact`
    } else {
      const warnings = attempt.warnings.length
      next.status = 'passed'
      next.reason = `every check passed${warnings > 0 ? `, ${counted(warnings, 'warning')}` : ''} (${attempt.binding})`
    }
  })

  const summary = ({ steps }: Progress): CheckAllSummary => ({
    verdict: steps.some((s) => s.status === 'failed')
      ? 'failed'
      : currentStep({ steps })
        ? 'incomplete'
        : 'passed',
    at: isoInstant(options.clock.now()),
    protocol: options.protocol,
    steps,
    attempts: steps.flatMap((s) => {
      const attempt = s.attemptId ? diagnostics.get(s.attemptId) : undefined
      return attempt ? [attempt] : []
    }),
  })

  app.get('/check-all', (c) => {
    const mine = progressOf(c)
    const logout = stepOf(mine, 'logout')
    if (logout.status === 'pending' && mine.logout) {
      logout.status = 'failed'
      logout.reason =
        'the logout did not come back to the SP: the SP or the IdP showed an error (the SP log names its code)'
      mine.logout = undefined
    }
    c.header('Cache-Control', 'no-store')
    return c.html(
      renderHtml(
        <CheckAllPage
          summary={summary(mine)}
          next={currentStep(mine)}
          prefix={prefix}
          siteLinks={ctx.siteLinks}
        />,
      ),
    )
  })
  app.post('/check-all/logout', (c) => {
    progressOf(c).logout = {
      hadSession: ctx.sessions.peek(getCookie(c, ctx.cookies.session)) !== undefined,
    }
    return c.redirect(
      `${prefix}/logout?return_url=${encodeURIComponent(`${home}/logged-out`)}`,
      307,
    )
  })
  app.get('/check-all/logged-out', (c) => {
    const mine = progressOf(c)
    const logout = stepOf(mine, 'logout')
    if (logout.status === 'pending') {
      const signedIn = ctx.sessions.peek(getCookie(c, ctx.cookies.session)) !== undefined
      Object.assign(logout, loggedOutVerdict(options, mine.logout, signedIn))
    }
    mine.logout = undefined
    return c.redirect(home, 303)
  })
  app.post('/check-all/reset', (c) => {
    const mine = progressOf(c)
    mine.steps = startProgress(options).steps
    mine.logout = undefined
    return c.redirect(home, 303)
  })
  app.get('/check-all/summary.json', (c) =>
    c.json(summary(progressOf(c)), 200, {
      'Content-Disposition': 'attachment; filename="ssoproof-check-all.json"',
    }),
  )
  app.get('/check-all/summary.xml', (c) =>
    c.body(renderAttemptsJunit(summary(progressOf(c)).attempts, 'ssoproof sp --check-all'), 200, {
      'Content-Type': 'application/xml; charset=UTF-8',
      'Content-Disposition': 'attachment; filename="ssoproof-check-all.xml"',
    }),
  )
  app.get('/check-all/summary.html', (c) =>
    c.html(
      renderHtml(
        <CheckAllPage
          summary={summary(progressOf(c))}
          next={undefined}
          prefix={prefix}
          standalone
        />,
      ),
      200,
      { 'Content-Disposition': 'attachment; filename="ssoproof-check-all.html"' },
    ),
  )
}

/** A fresh certification: every step pending, except what this SP's setup cannot offer. */
function startProgress(options: SpContext['options']): Progress {
  const artifact =
    options.protocol !== 'saml'
      ? { status: 'not-available' as const, reason: 'HTTP-Artifact is a SAML binding' }
      : options.idp.artifactResolutionUrl === undefined
        ? {
            status: 'not-available' as const,
            reason: 'the IdP metadata lists no ArtifactResolutionService',
          }
        : { status: 'pending' as const, reason: '' }
  return {
    steps: [
      { id: 'sign-in', title: 'Sign-in', status: 'pending', reason: '' },
      { id: 'logout', title: 'Logout', status: 'pending', reason: '' },
      { id: 'artifact', title: 'Sign-in over HTTP-Artifact', ...artifact },
    ],
  }
}

/** SAML: the logout step rests on the LogoutResponse to this browser's own LogoutRequest. */
function logoutAnswered(mine: Progress, step: Step, attempt: SignInAttempt): void {
  const requestId = mine.logout?.requestId
  if (attempt.logout?.message !== 'LogoutResponse' || requestId === undefined) return
  if (attempt.logout.inResponseTo !== requestId) return
  step.attemptId = attempt.id
  if (attempt.verdict === 'accepted') {
    step.status = 'passed'
    step.reason =
      'the IdP answered this browser’s LogoutRequest with a LogoutResponse that passed every check'
  } else {
    step.status = 'failed'
    step.reason = `${attempt.failure?.code} at ${attempt.failure?.check}: ${attempt.failure?.reason}`
  }
}

/**
 * Back at /check-all/logged-out with the step still open: no exchange passed it. Failed when
 * there was no session to log out (a fresh browser, a failed sign-in), when the session
 * survived, or when a SAML LogoutRequest went out and no validated LogoutResponse answered it;
 * not available when the IdP has no logout URL. OIDC and JWT sign-offs send nothing back to
 * validate: the session ended and the visitor went through the IdP's logout URL.
 */
function loggedOutVerdict(
  options: SpContext['options'],
  started: Progress['logout'],
  signedIn: boolean,
): Pick<Step, 'status' | 'reason'> {
  if (!started?.hadSession) {
    return {
      status: 'failed',
      reason: 'there was no SP session to log out: sign in first (step 1 must pass)',
    }
  }
  if (signedIn) return { status: 'failed', reason: 'the SP session is still active after logout' }
  const idpLogout =
    options.protocol === 'saml'
      ? options.idp.sloUrl
      : options.protocol === 'oidc'
        ? 'end_session'
        : options.jwt?.logoutUrl
  if (!idpLogout) {
    return {
      status: 'not-available',
      reason: 'signed out at the SP only: the IdP has no logout URL (no single logout)',
    }
  }
  if (options.protocol === 'saml') {
    return {
      status: 'failed',
      reason:
        started.requestId === undefined
          ? 'the SP sent no LogoutRequest'
          : 'no validated LogoutResponse came back for this browser’s LogoutRequest',
    }
  }
  return {
    status: 'passed',
    reason: 'the SP session ended and the visitor went through the IdP logout URL',
  }
}

function stepOf(progress: Progress, id: StepId): Step {
  return progress.steps.find((candidate) => candidate.id === id) as Step
}

function currentStep(progress: Pick<Progress, 'steps'> | undefined): Step | undefined {
  return progress?.steps.find((candidate) => candidate.status === 'pending')
}

function CheckAllPage(props: {
  summary: CheckAllSummary
  next: Step | undefined
  prefix: string
  standalone?: boolean
  siteLinks?: readonly SiteLink[]
}) {
  const { summary, next, prefix } = props
  const home = `${prefix}/check-all`
  const back = encodeURIComponent(home)
  return (
    <Layout
      title="Check all"
      side="SP"
      nav={props.standalone ? undefined : <SiteNav links={props.siteLinks ?? []} current={home} />}
    >
      <h1>
        Certification check{' '}
        <span class={`badge ${summary.verdict}`} id="verdict" data-verdict={summary.verdict}>
          {summary.verdict}
        </span>
      </h1>
      <table id="steps">
        <tbody>
          {summary.steps.map((s) => (
            <tr data-step={s.id} data-status={s.status}>
              <td>{s.title}</td>
              <td class="nowrap">
                <strong class={`outcome-${s.status}`}>{s.status}</strong>
              </td>
              <td>
                {s.reason}
                {s.attemptId && !props.standalone ? (
                  <>
                    {' '}
                    <a href={`${prefix}/diagnostics/${s.attemptId}`}>diagnostics</a>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.standalone ? null : next?.id === 'sign-in' ? (
        <p>
          <a class="button" id="next" href={`${prefix}/login?return_url=${back}`}>
            Step 1: sign in
          </a>
        </p>
      ) : next?.id === 'logout' ? (
        <form method="post" action={`${home}/logout`}>
          <button type="submit" id="next">
            Step 2: log out
          </button>
        </form>
      ) : next?.id === 'artifact' ? (
        <p>
          <a class="button" id="next" href={`${prefix}/login?binding=artifact&return_url=${back}`}>
            Step 3: sign in over HTTP-Artifact
          </a>
        </p>
      ) : (
        <p id="downloads">
          Summary: <a href={`${home}/summary.json`}>JSON</a> ·{' '}
          <a href={`${home}/summary.xml`}>JUnit XML</a> · <a href={`${home}/summary.html`}>HTML</a>
        </p>
      )}
      {props.standalone ? null : (
        <form method="post" action={`${home}/reset`}>
          <button type="submit" class="secondary">
            Start over
          </button>
        </form>
      )}
    </Layout>
  )
}
