import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { connect, type Socket } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { spSignInStep } from '../sp/sign-in-steps.ts'
import { closeAll, createAppServer } from './serve-listen.ts'

const servers: import('node:http').Server[] = []
const sockets: Socket[] = []
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await closeAll(servers.splice(0))
})

/** Reads answers off `socket` until `count` complete ones (empty bodies) have come. */
function answers(socket: Socket, count: number): Promise<string> {
  return new Promise((done) => {
    let text = ''
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1')
      if (text.split('HTTP/1.1 ').length - 1 >= count) {
        socket.off('data', onData)
        done(text)
      }
    }
    socket.on('data', onData)
  })
}

describe("serve's servers under load", () => {
  it('start the SP sign-in requests read together in sign-in order, whatever order they came in', async () => {
    const started: string[] = []
    const app = new Hono()
    for (const [method, path] of [
      ['GET', '/login'],
      ['POST', '/saml/acs'],
      ['GET', '/'],
      ['GET', '/saml/metadata'],
    ] as const) {
      app.on(method, path, (c) => {
        started.push(`${method} ${path}`)
        return c.body(null, 204)
      })
    }
    const server = createAppServer({
      serve,
      https: undefined,
      fetch: app.fetch,
      steps: spSignInStep,
      port: 0,
      host: '127.0.0.1',
      identity: undefined,
      requestCert: false,
    })
    servers.push(server)
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    const requests = [
      'POST /saml/acs HTTP/1.1',
      'GET /login?return_url=%2F HTTP/1.1',
      'GET /saml/metadata HTTP/1.1',
      'GET / HTTP/1.1',
    ]
    const connections = await Promise.all(
      requests.map(async () => {
        const socket = connect({ port, host: '127.0.0.1' })
        sockets.push(socket)
        await once(socket, 'connect')
        // One exchange first: the server has accepted it and reads it from then on.
        const warm = answers(socket, 1)
        socket.write(`GET /saml/metadata HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)
        await warm
        return socket
      }),
    )
    started.length = 0
    // All four written in one turn of this thread: the server reads them in its next.
    const answered = connections.map((socket) => answers(socket, 1))
    for (const [i, line] of requests.entries()) {
      connections[i]?.write(`${line}\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 0\r\n\r\n`)
    }
    for (const text of await Promise.all(answered)) expect(text).toMatch(/^HTTP\/1\.1 204 /)
    expect(started).toEqual(['GET /saml/metadata', 'GET /', 'GET /login', 'POST /saml/acs'])
  })
})
