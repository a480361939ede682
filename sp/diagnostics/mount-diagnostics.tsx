import type { Hono } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { renderHtml } from '../../core/http/render-html.ts'
import type { SpContext } from '../context.ts'
import { AttemptsIndex } from './attempts-index.tsx'
import type { SpDiagnostics } from './create-diagnostics.ts'
import { renderAttemptsJunit } from './junit.ts'
import { AttemptPage } from './pages.tsx'

const attemptPath = /^([A-Za-z0-9_-]{1,40})(?:\.(json|xml|html))?$/

/**
 * The diagnostics routes of a connection (only with `diagnostics` on):
 *   GET /diagnostics            the latest attempts, newest first
 *   GET /diagnostics.xml        all of them as JUnit XML
 *   GET /diagnostics/<id>       one attempt: every check, outcome and why, decoded messages
 *   GET /diagnostics/<id>.json  the same as JSON; .xml as JUnit; .html as a self-contained page
 */
export function mountDiagnostics(app: Hono, ctx: SpContext, diagnostics: SpDiagnostics): void {
  const prefix = ctx.pathPrefix
  app.get('/diagnostics', (c) => {
    c.header('Cache-Control', 'no-store')
    return c.html(
      renderHtml(
        <AttemptsIndex attempts={diagnostics.list()} prefix={prefix} siteLinks={ctx.siteLinks} />,
      ),
    )
  })
  app.get('/diagnostics.xml', (c) =>
    c.body(renderAttemptsJunit(diagnostics.list(), 'ssoproof sp diagnostics'), 200, {
      'Content-Type': 'application/xml; charset=UTF-8',
      'Content-Disposition': 'attachment; filename="ssoproof-diagnostics.xml"',
      'Cache-Control': 'no-store',
    }),
  )
  app.get('/diagnostics/:name', (c) => {
    const match = attemptPath.exec(c.req.param('name'))
    const attempt = match?.[1] === undefined ? undefined : diagnostics.get(match[1])
    if (!match || !attempt) {
      throw new SsoError(
        'SP_DIAGNOSTICS_NOT_FOUND',
        'diagnostics',
        'no sign-in attempt has this ID',
        {},
      )
    }
    c.header('Cache-Control', 'no-store')
    const file = `ssoproof-diagnostics-${attempt.id}`
    switch (match[2]) {
      case 'json':
        return c.json(attempt, 200, {
          'Content-Disposition': `attachment; filename="${file}.json"`,
        })
      case 'xml':
        return c.body(
          renderAttemptsJunit([attempt], `ssoproof sp diagnostics ${attempt.id}`),
          200,
          {
            'Content-Type': 'application/xml; charset=UTF-8',
            'Content-Disposition': `attachment; filename="${file}.xml"`,
          },
        )
      case 'html':
        return c.html(
          renderHtml(<AttemptPage attempt={attempt} prefix={prefix} standalone />),
          200,
          {
            'Content-Disposition': `attachment; filename="${file}.html"`,
          },
        )
      default:
        return c.html(
          renderHtml(<AttemptPage attempt={attempt} prefix={prefix} siteLinks={ctx.siteLinks} />),
        )
    }
  })
}
