import { once } from 'node:events'
import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { LoopbackConnections, StaleConnection } from './loopback-http.ts'

// The visitors' HTTP/1.1 client: every way a server frames an answer is read whole, connections
// are kept and reused while the server keeps them, and a closed one is told apart.
describe('LoopbackConnections', () => {
  const servers: Server[] = []
  const connections = new LoopbackConnections()

  afterEach(() => {
    connections.destroy()
    for (const server of servers.splice(0)) server.close()
  })

  /** A server that answers each request (the bytes up to its blank line) with `answer(n)`. */
  async function rawServer(answer: (request: string, socket: Socket) => string | undefined) {
    const sockets: Socket[] = []
    const requests: string[] = []
    const server = createServer((socket) => {
      sockets.push(socket)
      let pending = ''
      socket.on('data', (chunk) => {
        pending += chunk.toString('latin1')
        for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
          const head = pending.slice(0, end)
          const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0)
          if (pending.length < end + 4 + length) return
          const request = pending.slice(0, end + 4 + length)
          pending = pending.slice(end + 4 + length)
          requests.push(request)
          const bytes = answer(request, socket)
          if (bytes !== undefined) socket.write(bytes)
        }
      })
    })
    servers.push(server)
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const address = server.address()
    if (!address || typeof address === 'string') throw new Error('no port')
    return { url: new URL(`http://127.0.0.1:${address.port}/page?x=1`), sockets, requests }
  }

  it('sends Host, keep-alive, the headers given and a body with its length', async () => {
    const server = await rawServer(() => 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
    const answer = await connections.request(server.url, 'POST', { cookie: 'a=1' }, 'é=1')
    expect(answer).toMatchObject({ status: 200, body: 'ok' })
    expect(server.requests[0]).toBe(
      `POST /page?x=1 HTTP/1.1\r\nHost: ${server.url.host}\r\nConnection: keep-alive\r\ncookie: a=1\r\nContent-Length: 4\r\n\r\né=1`.replace(
        'é',
        Buffer.from('é').toString('latin1'),
      ),
    )
  })

  it('reads a chunked answer, its Location (the first) and every Set-Cookie, in order', async () => {
    const server = await rawServer(
      () =>
        'HTTP/1.1 302 Found\r\nLocation: /a\r\nSet-Cookie: a=1; Path=/\r\nLocation: /b\r\n' +
        'set-cookie: b=2\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nhé\r\n2\r\n!!\r\n0\r\nX-Trailer: t\r\n\r\n',
    )
    const answer = await connections.request(server.url, 'GET', {}, undefined)
    expect(answer).toEqual({
      status: 302,
      location: '/a',
      setCookies: ['a=1; Path=/', 'b=2'],
      body: 'hé!!',
    })
  })

  it('reads an answer that arrives a byte at a time', async () => {
    const server = await rawServer((_request, socket) => {
      const bytes = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello')
      let at = 0
      const next = () => {
        if (at < bytes.length) socket.write(bytes.subarray(at, ++at), next)
      }
      next()
      return undefined
    })
    expect((await connections.request(server.url, 'GET', {}, undefined)).body).toBe('hello')
  })

  it('keeps a connection for the next request, and drops one the server says it closes', async () => {
    let count = 0
    const server = await rawServer(() => {
      count++
      return count === 2
        ? 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\n2'
        : `HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n${count}`
    })
    const bodies: string[] = []
    for (let i = 0; i < 3; i++)
      bodies.push((await connections.request(server.url, 'GET', {}, undefined)).body)
    expect(bodies).toEqual(['1', '2', '3'])
    expect(server.sockets.length).toBe(2)
  })

  it('reads an answer without length to the close', async () => {
    const server = await rawServer((_request, socket) => {
      socket.end('HTTP/1.1 200 OK\r\n\r\nuntil the end')
      return undefined
    })
    expect((await connections.request(server.url, 'GET', {}, undefined)).body).toBe('until the end')
  })

  it('says a kept connection closed before any answer is stale; a first one is not', async () => {
    let count = 0
    const server = await rawServer((_request, socket) => {
      count++
      if (count === 1) return 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'
      socket.destroy()
      return undefined
    })
    await connections.request(server.url, 'GET', {}, undefined)
    await expect(connections.request(server.url, 'GET', {}, undefined)).rejects.toBeInstanceOf(
      StaleConnection,
    )
    const fresh = connections.request(server.url, 'GET', {}, undefined, true)
    await expect(fresh).rejects.toThrow(/closed the connection before its answer was whole/)
    await expect(fresh).rejects.not.toBeInstanceOf(StaleConnection)
  })

  it('refuses an answer cut short, more bytes than its length, or no HTTP', async () => {
    const cut = await rawServer((_request, socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort')
      return undefined
    })
    await expect(connections.request(cut.url, 'GET', {}, undefined)).rejects.toThrow(
      /before its answer was whole/,
    )
    const long = await rawServer(() => 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nlonger')
    await expect(connections.request(long.url, 'GET', {}, undefined)).rejects.toThrow(
      /more bytes than the answer holds/,
    )
    const junk = await rawServer(() => 'SSH-2.0-OpenSSH\r\n\r\n')
    await expect(connections.request(junk.url, 'GET', {}, undefined)).rejects.toThrow(
      /not an HTTP\/1.x answer/,
    )
  })

  it('never sends a header value holding a line break', () => {
    expect(() =>
      connections.request(
        new URL('http://127.0.0.1:1/'),
        'GET',
        { cookie: 'a=1\r\nX: y' },
        undefined,
      ),
    ).toThrow(/line break/)
  })
})
