import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { SsoError } from '../errors/index.ts'
import { xmlLimits } from '../xml/index.ts'
import { errorHandler } from './error-page.tsx'

/** The largest request body either side reads: twice the XML cap, for base64 and form overhead. */
export const maxBodyBytes = 2 * xmlLimits.maxBytes

/**
 * The Hono app both the IdP and the SP start from: one error handler (pages for people, JSON
 * for scripts), a not-found page with a stable code, and a body-size cap before anything parses.
 */
export function createApp(side: 'IdP' | 'SP', log: (line: string) => void): Hono {
  const app = new Hono()
  app.onError(errorHandler(side, log))
  app.notFound(() => {
    throw new SsoError('NOT_FOUND', 'route', `no such page at the ${side}`, {})
  })
  app.use(
    '*',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new SsoError(
          'XML_TOO_LARGE',
          'request body',
          'the request body exceeds the size cap',
          {
            maxBytes: maxBodyBytes,
          },
        )
      },
    }),
  )
  app.get('/favicon.ico', (c) => c.body(null, 204))
  return app
}
