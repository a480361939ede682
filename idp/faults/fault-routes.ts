import { Hono } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import type { IdpContext } from '../context.ts'
import { removeFault } from './fault-set.ts'

/**
 * The admin API of faults and the journal (mounted under /admin):
 *   GET    /admin/faults        the active faults, each with its id and uses left
 *   POST   /admin/faults        one fault object, or an array of them: all valid or none added
 *                              (400 CONFIG_INVALID naming the path, e.g. `faults.1.kind`)
 *   DELETE /admin/faults        clear every fault
 *   DELETE /admin/faults/:id    remove one (404 NOT_FOUND when there is none)
 *   GET    /admin/journal       what the SPs sent, oldest first; ?sp=… and ?message=… narrow it
 *   DELETE /admin/journal       forget it
 */
export function faultRoutes(ctx: IdpContext) {
  const app = new Hono()
  app.get('/faults', (c) => c.json({ faults: ctx.faults.list() }))
  app.post('/faults', async (c) => {
    const body = await readJson(c.req.raw)
    const added = Array.isArray(body) ? ctx.faults.addAll(body) : [ctx.faults.add(body)]
    // The metadata lists a certificate-validity fault's certificate once it exists.
    await ctx.faults.ready()
    return c.json({ faults: added }, 201)
  })
  app.delete('/faults', (c) => c.json({ cleared: ctx.faults.clear() }))
  app.delete('/faults/:id', (c) => c.json({ removed: removeFault(ctx.faults, c.req.param('id')) }))
  app.get('/journal', (c) =>
    c.json({
      journal: ctx.journal.list({ sp: c.req.query('sp'), message: c.req.query('message') }),
    }),
  )
  app.delete('/journal', (c) => {
    ctx.journal.clear()
    return c.body(null, 204)
  })
  return app
}

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json()
  } catch {
    throw new SsoError('CONFIG_INVALID', 'body', 'the request body is not valid JSON', {})
  }
}
