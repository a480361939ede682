import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServe, startServe } from '../../cli/serve.ts'
import { LoopbackConnections, signInOverLoopback } from './loopback-visitor.ts'

// Figure 7's visitor against a real `serve` on loopback: it must sign in for real, and a
// sign-in that does not end signed in must be an error.
describe('the loopback visitor of figure 7', () => {
  let serve: RunningServe
  let dataDir: string
  const connections = new LoopbackConnections()

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ssoproof-visitor-'))
    serve = await startServe({ idpPort: 0, spPort: 0, host: '127.0.0.1', dataDir, log: () => {} })
  }, 120_000)

  afterAll(async () => {
    connections.destroy()
    await serve?.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('signs in at the SP through the IdP, concurrently, each visitor with its own cookies', async () => {
    const shown = await Promise.all(
      ['alice', 'bob', 'dave', 'alice'].map((user) =>
        signInOverLoopback(serve.spUrl, { connections, user }),
      ),
    )
    // The end page names each visitor's own user: no cookie crossed between visitors.
    expect(shown.map((name) => name.toLowerCase())).toEqual(
      ['alice', 'bob', 'dave', 'alice'].map((user) => expect.stringContaining(user)),
    )
  }, 60_000)

  it('fails, naming the page and its error code, when the IdP refuses the user', async () => {
    await expect(signInOverLoopback(serve.spUrl, { connections, user: 'nobody' })).rejects.toThrow(
      /not signed in: ended at \/login \(HTTP 4\d\d, error code [A-Z_]+\)/,
    )
  }, 60_000)

  it('fails when the SP never hears from the IdP (no home page showing a user)', async () => {
    const { server, url } = await listen((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Welcome</h1>')
    })
    try {
      await expect(signInOverLoopback(url, { connections })).rejects.toThrow(
        /not signed in: ended at \/login \(HTTP 200, error code none\)/,
      )
    } finally {
      server.close()
    }
  })

  it('sends a cookie back only where the browser would, and follows every hop', async () => {
    const seen: string[] = []
    const { server, url } = await listen((request, response) => {
      seen.push(
        `${request.method} ${request.url} cookie=${request.headers.cookie ?? ''} site=${request.headers['sec-fetch-site']} origin=${request.headers.origin ?? ''}`,
      )
      if (request.url === '/login')
        return response
          .writeHead(302, {
            location: '/form',
            'set-cookie': [
              'a=1; Path=/',
              'gone=1; Max-Age=0; Path=/',
              'elsewhere=1; Path=/other',
              'secure=1; Secure',
            ],
          })
          .end()
      if (request.url === '/form')
        return response
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            '<body onload="document.forms[0].submit()"><form method="post" action="/done"><input type="hidden" name="x" value="a&amp;b"></form></body>',
          )
      response.writeHead(200).end('<span id="user-name">Alice</span>')
    })
    try {
      await signInOverLoopback(url, { connections })
      expect(seen).toEqual([
        'GET /login cookie= site=none origin=',
        'GET /form cookie=a=1 site=none origin=',
        `POST /done cookie=a=1 site=same-origin origin=${url}`,
      ])
    } finally {
      server.close()
    }
  })

  it('sends a request again on a new connection when a kept-alive one was closed under it, once', async () => {
    const requestsOn = new WeakMap<object, number>()
    let dropped = 0
    const { server, url } = await listen((request, response) => {
      const count = (requestsOn.get(request.socket) ?? 0) + 1
      requestsOn.set(request.socket, count)
      // The server's idle timeout as it strikes: the second request on a connection gets none.
      if (count === 2) {
        dropped++
        return request.socket.destroy()
      }
      if (request.url === '/login') return response.writeHead(302, { location: '/home' }).end()
      response.writeHead(200).end('<span id="user-name">Alice</span>')
    })
    const own = new LoopbackConnections()
    try {
      await signInOverLoopback(url, { connections: own })
      expect(dropped).toBe(1)
    } finally {
      own.destroy()
      server.close()
    }
  })
})

async function listen(
  handler: Parameters<typeof createServer>[1] & {},
): Promise<{ server: Server; url: string }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  return { server, url: `http://127.0.0.1:${address.port}` }
}
