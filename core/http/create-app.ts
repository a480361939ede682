import { Hono, type MiddlewareHandler } from 'hono'
import { SsoError } from '../errors/index.ts'
import { xmlLimits } from '../xml/limits.ts'
import { errorHandler } from './error-page.tsx'
import { readBody } from './read-body.ts'

/** The largest request body either side reads: twice the XML cap, for base64 and form overhead. */
export const maxBodyBytes = 2 * xmlLimits.maxBytes

/**
 * The longest request URL either side reads in-process, where no HTTP parser stands in front
 * (over a socket Node.js refuses more than 16 KiB of headers first). It leaves room for the
 * 32 KiB token of the IdP's oversized-token fault, so the SP's own token cap still reports it.
 */
export const maxUrlBytes = 64 * 1024

/**
 * The Hono app both the IdP and the SP start from: one error handler (pages for people, JSON
 * for scripts), a not-found page with a stable code, and URL and body-size caps before anything
 * parses; a body is read whole before any handler, so a client that stops sending is a client
 * error (read-body.ts). Then the request guard (guard/request-guard.ts: Host, cross-site
 * requests, form and admin tokens) when the app is one a server answers with, not a part
 * mounted into another.
 */
export function createApp(
  side: 'IdP' | 'SP',
  log: (line: string) => void,
  guard?: MiddlewareHandler,
): Hono {
  const app = new Hono()
  app.onError(errorHandler(side, log))
  app.notFound(() => {
    throw new SsoError('NOT_FOUND', 'route', `no such page at the ${side}`, {})
  })
  app.use('*', async (c, next) => {
    if (Buffer.byteLength(c.req.url) > maxUrlBytes) {
      throw new SsoError('URL_TOO_LONG', 'request URL', 'the request URL exceeds the size cap', {
        maxBytes: maxUrlBytes,
      })
    }
    await next()
  })
  app.use('*', readBody(maxBodyBytes))
  if (guard) app.use('*', guard)
  app.get('/favicon.ico', (c) => c.body(null, 204))
  return app
}
