// The servers of `http-overhead.ts`, in a process of their own: the same three trivial routes
// answered by a bare node:http handler, by plain Hono on @hono/node-server, and by our stack
// (core/http's createApp with the request guard, the routes mounted lazily as the sign-in's
// are, served as `serve` serves an app). Arguments: optionally the compiled package's dist/
// folder (plain Node); by default the checkout's core/http (run with `--import tsx`). Says
// `ready` with each server's URL, answers `usage` with its CPU time, stops on `close`.
import { once } from 'node:events'
import http from 'node:http'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const [dist] = process.argv.slice(2)
if (!process.send) throw new Error('http-overhead-child: run with an IPC channel')
const from = (path) =>
  import(dist ? pathToFileURL(join(dist, `${path}.js`)).href : `../../${path}.ts`)
const [{ createApp }, { mountLazily }, { requestGuard }, { systemRandom }] = await Promise.all([
  from('core/http/create-app'),
  from('core/http/lazy-routes'),
  from('core/http/guard/request-guard'),
  from('core/random/index'),
])

// About the size of the SP's home page; no form (a form of ours would be rewritten: route work).
const page = `<!doctype html><html><head><title>page</title></head><body><main>${'<p>some text of the page</p>'.repeat(40)}</main></body></html>`
const pageBytes = Buffer.byteLength(page)

/** @param {(request: http.IncomingMessage, response: http.ServerResponse) => void} handler */
async function listen(handler) {
  const server = http.createServer(handler)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return server
}

const port = (server) => server.address().port

// 1. node:http alone: what any HTTP server costs.
const bare = await listen((request, response) => {
  const answer = () => {
    if (request.method === 'POST') {
      response.writeHead(303, { location: '/page', 'set-cookie': 'session=abc; Path=/; HttpOnly' })
      response.end()
      return
    }
    response.writeHead(200, {
      'content-type': 'text/html; charset=UTF-8',
      'content-length': pageBytes,
      'cache-control': 'no-store',
    })
    response.end(page)
  }
  if (request.method === 'POST') {
    const chunks = []
    request.on('data', (chunk) => chunks.push(chunk))
    request.on('end', () => {
      new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
      answer()
    })
  } else answer()
})

/** The routes, as a sign-in's routes are written: `c.header`, `c.html`, `parseBody`, `redirect`. */
const routes = (app) =>
  app
    .get('/page', (c) => {
      c.header('Cache-Control', 'no-store')
      return c.html(page)
    })
    .post('/acs', async (c) => {
      const form = await c.req.parseBody()
      if (typeof form.SAMLResponse !== 'string') return c.text('no form', 400)
      c.header('Set-Cookie', 'session=abc; Path=/; HttpOnly')
      return c.redirect('/page', 303)
    })

// 2. Hono on @hono/node-server, nothing else.
const plain = serve({ fetch: routes(new Hono()).fetch, port: 0, hostname: '127.0.0.1' })
await once(plain, 'listening')

// 3. Ours: createApp (URL and body caps, body read whole, error pages), the request guard (Host,
// cross-site rules, form tokens), the routes loaded lazily; served as `serve` serves its apps.
const ours = serve({
  fetch: (request, env) => app.fetch(request, env),
  port: 0,
  hostname: '127.0.0.1',
})
await once(ours, 'listening')
const base = `http://127.0.0.1:${port(ours)}`
const app = createApp(
  'SP',
  () => {},
  requestGuard({
    baseUrls: [base],
    routes: { crossSiteByDesign: [/^\/acs$/], admin: [], api: [] },
    random: systemRandom,
  }),
)
mountLazily(app, ['/page', '/acs'], async () => routes(new Hono()))

// 4. The same with the routes mounted at start, not lazily: what the lazy mount costs.
const eager = serve({
  fetch: (request, env) => eagerApp.fetch(request, env),
  port: 0,
  hostname: '127.0.0.1',
})
await once(eager, 'listening')
const eagerApp = routes(
  createApp(
    'SP',
    () => {},
    requestGuard({
      baseUrls: [`http://127.0.0.1:${port(eager)}`],
      routes: { crossSiteByDesign: [/^\/acs$/], admin: [], api: [] },
      random: systemRandom,
    }),
  ),
)

process.on('message', (request) => {
  if (request.type === 'usage') {
    const cpu = process.cpuUsage()
    process.send?.({ type: 'usage', cpuMicros: cpu.user + cpu.system })
  } else if (request.type === 'close') {
    for (const server of [bare, plain, ours, eager]) {
      server.close()
      server.closeAllConnections()
    }
    process.disconnect()
  }
})
process.send({
  type: 'ready',
  urls: {
    'node:http': `http://127.0.0.1:${port(bare)}`,
    'hono + node-server': `http://127.0.0.1:${port(plain)}`,
    ours: base,
    'ours, routes at start': `http://127.0.0.1:${port(eager)}`,
  },
})
