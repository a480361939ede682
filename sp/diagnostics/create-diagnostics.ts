import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { newToken, type Random } from '../../core/random/index.ts'
import { decodeExchange } from '../../core/trace/decode.ts'
import type { SpContext } from '../context.ts'
import type { SignInAttempt } from './attempt.ts'
import { buildAttempt } from './build-attempt.ts'
import { buildLogoutAttempt, type SentLogout } from './build-logout-attempt.ts'
import { createRecorder, type SignInHooks } from './recorder.ts'

/** How many attempts are kept (the oldest go first). */
export const keptAttempts = 50

export interface SpDiagnostics {
  hooks: SignInHooks
  /** The latest attempts, newest first. */
  list(): SignInAttempt[]
  get(id: string): SignInAttempt | undefined
  /**
   * Wraps a sign-in endpoint (ACS, JWT or OIDC callback): the handler runs unchanged; then,
   * accepted or refused, the attempt is stored and the visitor sent to its diagnostics page.
   * A session the handler started stays started (its cookie travels with the redirect).
   */
  capture(
    ctx: SpContext,
    handler: (c: Context) => Response | Promise<Response>,
  ): (c: Context) => Promise<Response>
  /**
   * Listeners told of every stored attempt with the callback request that ended it (the guided
   * `--check-all` mode reads the visitor's cookie from it).
   */
  onAttempt: Array<(attempt: SignInAttempt, c: Context) => void>
  /**
   * Wraps the SingleLogoutService: every logout message is recorded like a sign-in (its checks,
   * the decoded message); a refused one ends on its diagnostics page, an accepted one goes on
   * as without diagnostics (back to the IdP, or to where the visitor signed out from).
   */
  captureLogout(
    ctx: SpContext,
    handler: (c: Context) => Response | Promise<Response>,
  ): (c: Context) => Promise<Response>
  /** POST /logout: the SP sent this LogoutRequest (for the LogoutResponse's attempt). */
  logoutSent(c: Context, sent: SentLogout): void
  /** Told of every LogoutRequest sent, with the request that sent it (`--check-all`). */
  onLogoutSent: Array<(sent: SentLogout, c: Context) => void>
}

export function createDiagnostics(options: { now: () => number; random: Random }): SpDiagnostics {
  const recorder = createRecorder(options.now)
  const attempts = new Map<string, SignInAttempt>()
  const onAttempt: SpDiagnostics['onAttempt'] = []
  const onLogoutSent: SpDiagnostics['onLogoutSent'] = []
  const sent = new Map<string, SentLogout>()
  const store = (attempt: SignInAttempt, c: Context) => {
    attempts.set(attempt.id, attempt)
    for (const id of attempts.keys()) {
      if (attempts.size <= keptAttempts) break
      attempts.delete(id)
    }
    for (const listener of onAttempt) listener(attempt, c)
  }
  return {
    hooks: recorder,
    list: () => [...attempts.values()].reverse(),
    get: (id) => attempts.get(id),
    onAttempt,
    onLogoutSent,
    logoutSent(c, request) {
      sent.set(request.id, request)
      for (const id of sent.keys()) {
        if (sent.size <= keptAttempts) break
        sent.delete(id)
      }
      for (const listener of onLogoutSent) listener(request, c)
    },
    captureLogout: (ctx, handler) => async (c) => {
      const draft = recorder.begin(c)
      let response: Response | undefined
      let failure: SsoError | undefined
      try {
        response = await handler(c)
      } catch (error) {
        if (!(error instanceof SsoError)) throw error
        failure = error
      } finally {
        recorder.take(c)
      }
      const attempt = buildLogoutAttempt(ctx, {
        id: newToken(options.random, 9),
        binding: c.req.method === 'POST' ? 'HTTP-POST' : 'HTTP-Redirect',
        draft,
        failure: failure?.toFinding(),
        sent: (id) => sent.get(id),
      })
      store(attempt, c)
      ctx.options.log(
        `SP diagnostics: logout attempt ${attempt.id} ${attempt.verdict}${failure ? ` (${failure.code} at ${failure.check})` : ''}`,
      )
      if (response) return response
      c.header('Cache-Control', 'no-store')
      return c.redirect(`${ctx.pathPrefix}/diagnostics/${attempt.id}`, 303)
    },
    capture: (ctx, handler) => async (c) => {
      const draft = recorder.begin(c)
      const request = await describeRequest(c)
      draft.messages.push(...request.messages)
      let response: Response | undefined
      let failure: SsoError | undefined
      try {
        response = await handler(c)
      } catch (error) {
        if (!(error instanceof SsoError)) throw error
        failure = error
      } finally {
        recorder.take(c)
      }
      const location = response?.headers.get('Location') ?? null
      const attempt = buildAttempt(ctx, {
        id: newToken(options.random, 9),
        binding: request.binding,
        draft,
        failure: failure?.toFinding(),
        continueTo: response && location ? location : null,
        issInResponse: c.req.query('iss') !== undefined,
      })
      store(attempt, c)
      ctx.options.log(
        `SP diagnostics: sign-in attempt ${attempt.id} ${attempt.verdict}${failure ? ` (${failure.code} at ${failure.check})` : ''}`,
      )
      c.header('Cache-Control', 'no-store')
      return c.redirect(`${ctx.pathPrefix}/diagnostics/${attempt.id}`, 303)
    },
  }
}

/**
 * How the message arrived, and the request decoded with every secret redacted (SAMLart's
 * handle, tokens, codes): read from a copy, so the handler reads the body as it always does.
 */
async function describeRequest(c: Context) {
  const url = c.req.url
  const isPost = c.req.method === 'POST'
  const body = isPost ? await c.req.raw.clone().text() : undefined
  const contentType = c.req.header('content-type')
  const params = new URLSearchParams(
    isPost && contentType?.includes('application/x-www-form-urlencoded') ? body : '',
  )
  const has = (name: string) => params.has(name) || c.req.query(name) !== undefined
  const binding = has('SAMLart')
    ? 'HTTP-Artifact'
    : has('SAMLResponse')
      ? 'HTTP-POST'
      : has('token')
        ? isPost
          ? 'JWT (posted by page JavaScript)'
          : 'JWT (redirect with ?token=)'
        : has('code') || has('state')
          ? 'OIDC authorization code flow'
          : c.req.method
  // The SAML Response and tokens are shown once, as the SP validated them (recorder hooks).
  const messages = decodeExchange({
    url,
    ...(body !== undefined ? { requestBody: body, requestContentType: contentType } : {}),
  }).filter((message) => message.kind === 'form' || message.summary.startsWith('artifact'))
  return { binding, messages }
}
