import { once } from 'node:events'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SsoError } from '../errors/index.ts'
import { createApp } from './create-app.ts'
import { mountLazily } from './lazy-routes.ts'
import { lightBody } from './response-text.ts'

function parentWithLazy(load: () => Promise<Hono>) {
  const log: string[] = []
  const app = createApp('SP', (line) => log.push(line))
  app.use('*', async (c, next) => {
    c.header('X-Parent', 'ran')
    await next()
  })
  mountLazily(app, ['/lazy', '/lazy/*'], load)
  app.get('/lazy/after', (c) => c.text('a later route'))
  return { app, log }
}

function lazyRoutes(): Hono {
  return new Hono()
    .get('/lazy/hello', (c) => c.text(`hello ${c.req.query('who')}`))
    .post('/lazy/echo', async (c) => c.text(String((await c.req.parseBody()).text)))
    .get('/lazy/refused', () => {
      throw new SsoError('NOT_FOUND', 'thing', 'no such thing', {})
    })
    .get('/lazy/broken', () => {
      throw new Error('secret detail')
    })
}

/**
 * A parent that counts how often the request's form is parsed (the buffered request read-body.ts
 * made: its formData() is the one parse) and, with `parentReads`, reads the form itself first, as
 * the request guard's form token check does; its lazily loaded route reads it again.
 */
function parentCountingParses(parentReads: boolean) {
  const app = createApp('SP', () => {})
  const parses = { count: 0 }
  app.use('*', async (c, next) => {
    const raw = c.req.raw
    const parse = raw.formData.bind(raw)
    Object.defineProperty(raw, 'formData', {
      value: () => {
        parses.count++
        return parse()
      },
    })
    if (parentReads) await c.req.parseBody()
    await next()
  })
  mountLazily(app, ['/lazy', '/lazy/*'], async () =>
    new Hono().post('/lazy/form', async (c) => {
      const form = await c.req.parseBody({ all: true })
      const again = await c.req.parseBody()
      return c.json({ form, again, text: await c.req.text() })
    }),
  )
  return { app, parses }
}

const posted = (body: string | FormData, type?: string): RequestInit => ({
  method: 'POST',
  headers: type ? { 'Content-Type': type } : {},
  body,
})

describe('mountLazily', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it("parses a lazily loaded route's urlencoded form once per request, by the reader the parent put on the body cache", async () => {
    for (const parentReads of [false, true]) {
      const { app, parses } = parentCountingParses(parentReads)
      const formThroughFetch = vi.spyOn(Response.prototype, 'formData')
      const textThroughFetch = vi.spyOn(Response.prototype, 'text')
      const answer = await app.request(
        '/lazy/form',
        posted('user=al%C3%AFce&code=a+b&code=c', 'application/x-www-form-urlencoded'),
      )
      expect(parses.count).toBe(1)
      expect(formThroughFetch).not.toHaveBeenCalled()
      // Nor is the text read back through a Response made from a cached body (the ACS reads it).
      expect(textThroughFetch).not.toHaveBeenCalled()
      expect(answer.status).toBe(200)
      expect(await answer.json()).toEqual({
        form: { user: 'alïce', code: ['a b', 'c'] },
        again: { user: 'alïce', code: 'c' },
        // A text read after the form still gives the body as it came.
        text: 'user=al%C3%AFce&code=a+b&code=c',
      })
      vi.restoreAllMocks()
    }
  })

  it('still parses a multipart or charset-tagged form through Fetch in a lazily loaded route', async () => {
    const { app } = parentCountingParses(false)
    const multipart = new FormData()
    multipart.append('user', 'alice')
    const asMultipart = await app.request('/lazy/form', posted(multipart))
    expect(((await asMultipart.json()) as { form: unknown }).form).toEqual({ user: 'alice' })
    const latin = await app.request(
      '/lazy/form',
      posted('user=bob', 'application/x-www-form-urlencoded; charset=iso-8859-1'),
    )
    expect(await latin.json()).toEqual({
      form: { user: 'bob' },
      again: { user: 'bob' },
      text: 'user=bob',
    })
  })

  it('builds the routes on the first request only, and answers with the full path and query', async () => {
    let loads = 0
    const { app } = parentWithLazy(async () => {
      loads++
      return lazyRoutes()
    })
    expect(loads).toBe(0)
    const [first, second] = await Promise.all([
      app.request('/lazy/hello?who=alice'),
      app.request('/lazy/hello?who=bob'),
    ])
    expect(await first.text()).toBe('hello alice')
    expect(await second.text()).toBe('hello bob')
    expect(first.headers.get('X-Parent')).toBe('ran')
    await app.request('/lazy/hello')
    expect(loads).toBe(1)
  })

  it('hands the body the parent read on to the routes', async () => {
    const { app } = parentWithLazy(async () => lazyRoutes())
    const response = await app.request('/lazy/echo', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'text=posted',
    })
    expect(await response.text()).toBe('posted')
  })

  it("answers the routes' errors through the parent's error handler, as mounted routes would", async () => {
    const { app, log } = parentWithLazy(async () => lazyRoutes())
    const refused = await app.request('/lazy/refused', { headers: { Accept: 'application/json' } })
    expect(refused.status).toBe(404)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND')
    const broken = await app.request('/lazy/broken', { headers: { Accept: 'application/json' } })
    expect(broken.status).toBe(500)
    const body = await broken.text()
    expect(body).toContain('INTERNAL')
    expect(body).not.toContain('secret detail')
    expect(log.some((line) => line.includes('GET /lazy/broken INTERNAL'))).toBe(true)
  })

  it("answers through the parent's error handler even when the loaded routes set their own", async () => {
    const { app } = parentWithLazy(async () => {
      const routes = lazyRoutes()
      routes.onError((_error, c) => c.text('the routes answered', 418))
      return routes
    })
    const refused = await app.request('/lazy/refused', { headers: { Accept: 'application/json' } })
    expect(refused.status).toBe(404)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND')
  })

  it("leaves a path the routes do not take to the parent's later routes, then its not-found", async () => {
    const { app } = parentWithLazy(async () => lazyRoutes())
    const later = await app.request('/lazy/after')
    expect(await later.text()).toBe('a later route')
    const missing = await app.request('/lazy/nowhere', { headers: { Accept: 'application/json' } })
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('no such page at the SP')
  })

  it('tries a failed load again on the next request', async () => {
    let attempts = 0
    const { app } = parentWithLazy(async () => {
      attempts++
      if (attempts === 1) throw new Error('import failed')
      return lazyRoutes()
    })
    const failed = await app.request('/lazy/hello?who=x', {
      headers: { Accept: 'application/json' },
    })
    expect(failed.status).toBe(500)
    const retried = await app.request('/lazy/hello?who=x')
    expect(await retried.text()).toBe('hello x')
    expect(attempts).toBe(2)
  })

  it("passes a server's answer on with its body as made, not as a stream (the guard reads it without a copy)", async () => {
    const seen: unknown[] = []
    const { app } = parentWithLazy(async () =>
      new Hono()
        .get('/lazy/page', (c) => c.html('<p>page</p>'))
        .get('/lazy/moved', (c) => c.redirect('/x')),
    )
    // Registered before the lazy routes' paths are reached: it sees their answer on the way out.
    const outer = new Hono()
    outer.use('*', async (c, next) => {
      await next()
      seen.push(lightBody(c.res)?.body)
    })
    outer.route('/', app)
    const server = serve({ port: 0, hostname: '127.0.0.1', fetch: outer.fetch }) as Server
    try {
      await once(server, 'listening')
      const address = server.address()
      if (!address || typeof address === 'string') throw new Error('no port')
      const page = await fetch(`http://127.0.0.1:${address.port}/lazy/page`)
      expect(await page.text()).toBe('<p>page</p>')
      expect(page.headers.get('x-parent')).toBe('ran')
      const moved = await fetch(`http://127.0.0.1:${address.port}/lazy/moved`, {
        redirect: 'manual',
      })
      expect(moved.status).toBe(302)
      expect(seen).toEqual(['<p>page</p>', null])
    } finally {
      server.close()
    }
  })

  it("runs a loaded route with a fixed path in the parent's own context, as one mounted at start", async () => {
    const app = createApp('SP', () => {})
    app.use('*', async (c, next) => {
      c.set('parent' as never, 'ran' as never)
      await next()
    })
    mountLazily(app, ['/lazy', '/lazy/*'], async () =>
      new Hono().get('/lazy/fixed', (c) => c.text(`parent ${String(c.get('parent' as never))}`)),
    )
    // A variable the parent's middleware set: a context of the loaded app's own would not hold it.
    expect(await (await app.request('/lazy/fixed')).text()).toBe('parent ran')
    // A route with a parameter in its path goes through the loaded app's own routing.
    const withParameter = createApp('SP', () => {})
    mountLazily(withParameter, ['/lazy/*'], async () =>
      new Hono().get('/lazy/:name', (c) => c.text(`hello ${c.req.param('name')}`)),
    )
    expect(await (await withParameter.request('/lazy/bob')).text()).toBe('hello bob')
  })
})
