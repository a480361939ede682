import type { Server } from 'node:http'
import { connect } from 'node:net'
import { serve } from '@hono/node-server'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, maxBodyBytes } from './create-app.ts'

/** An app of the project's own kind whose one route reads a form, as the ACS does. */
function formApp() {
  const log: string[] = []
  const app = createApp('SP', (line) => log.push(line))
  app.post('/form', async (c) => c.json(await c.req.parseBody()))
  app.post('/json', async (c) => c.json(await c.req.json()))
  return { app, log }
}

/** A body that sends `first` and then fails, as a connection reset mid-body does. */
function breakingBody(first: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(first))
    },
    pull(controller) {
      controller.error(new Error('aborted'))
    },
  })
}

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise((done) => server.close(() => done(null)))),
  )
})

describe('request bodies are read whole before any handler', () => {
  it('hands the whole body to the handler, as a form or as JSON', async () => {
    const { app } = formApp()
    const form = await app.request('/form', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'SAMLResponse=abc&RelayState=%2F',
    })
    expect(await form.json()).toEqual({ SAMLResponse: 'abc', RelayState: '/' })
    const json = await app.request('/json', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"userId":"bob"}',
    })
    expect(await json.json()).toEqual({ userId: 'bob' })
  })

  it('gives the handler the form Fetch would parse, whatever the Content-Type spelling, and the raw bytes too', async () => {
    const log: string[] = []
    const app = createApp('SP', (line) => log.push(line))
    app.post('/both', async (c) => {
      const form = await c.req.parseBody({ all: true })
      return c.json({ form, raw: await c.req.raw.text(), text: await c.req.text() })
    })
    const body = 'a=1&a=2&b=%2Fx+y&caf%C3%A9=%E2%9C%93&empty=&raw=zoë'
    const expected = await new Response(body, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }).formData()
    for (const type of [
      'application/x-www-form-urlencoded',
      'Application/X-WWW-Form-Urlencoded; charset=UTF-8',
      'application/x-www-form-urlencoded;charset="utf-8"',
      'application/x-www-form-urlencoded; foo=bar',
    ]) {
      const answer = await app.request('/both', {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      })
      expect(await answer.json()).toEqual({
        form: {
          a: expected.getAll('a'),
          b: '/x y',
          café: '✓',
          empty: '',
          raw: expected.get('raw'),
        },
        raw: body,
        text: body,
      })
    }
  })

  it('hands the form to a route of an app mounted in another, both reading the body (a campaign under /c/<id>/)', async () => {
    const outer = createApp('SP', () => {})
    const { app: inner } = formApp()
    outer.route('/c/partner', inner)
    const answer = await outer.request('/c/partner/form', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'SAMLResponse=abc&RelayState=%2Fc%2Fpartner%2F',
    })
    expect(answer.status).toBe(200)
    expect(await answer.json()).toEqual({ SAMLResponse: 'abc', RelayState: '/c/partner/' })
  })

  it('answers a body that breaks off with REQUEST_BODY_INCOMPLETE (400), logged as such', async () => {
    const { app, log } = formApp()
    const answer = await app.request('/form', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: breakingBody('SAMLResponse=abc'),
      duplex: 'half',
    } as RequestInit)
    expect(answer.status).toBe(400)
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
      'REQUEST_BODY_INCOMPLETE',
    )
    expect(log).toEqual(['SP POST /form REQUEST_BODY_INCOMPLETE request body'])
  })

  it('refuses a body beyond the cap, announced by Content-Length or not', async () => {
    const { app } = formApp()
    const announced = await app.request('/form', {
      method: 'POST',
      headers: { 'content-length': String(maxBodyBytes + 1) },
      body: 'x',
    })
    expect(announced.status).toBe(413)
    const chunk = new Uint8Array(64 * 1024).fill(0x61)
    let sent = 0
    const streamed = await app.request('/form', {
      method: 'POST',
      body: new ReadableStream({
        pull(controller) {
          sent += chunk.length
          if (sent > maxBodyBytes + chunk.length) controller.close()
          else controller.enqueue(chunk)
        },
      }),
      duplex: 'half',
    } as RequestInit)
    expect(streamed.status).toBe(413)
    expect(await streamed.text()).toContain('XML_TOO_LARGE')
  })

  it('reads a body from the socket: whole to the handler, and refused past the cap when no Content-Length announces it', async () => {
    const { app } = formApp()
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server
    servers.push(server)
    await new Promise((ready) => server.once('listening', ready))
    const { port } = server.address() as { port: number }
    const form = await fetch(`http://127.0.0.1:${port}/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'SAMLResponse=abc&RelayState=%2F',
    })
    expect(await form.json()).toEqual({ SAMLResponse: 'abc', RelayState: '/' })
    const chunk = new Uint8Array(64 * 1024).fill(0x61)
    let sent = 0
    const streamed = await fetch(`http://127.0.0.1:${port}/form`, {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: new ReadableStream({
        pull(controller) {
          sent += chunk.length
          if (sent > maxBodyBytes + 4 * chunk.length) controller.close()
          else controller.enqueue(chunk)
        },
      }),
      duplex: 'half',
    } as RequestInit).catch((error: Error) => error)
    // The server answers 413 as soon as the cap is passed, and may close before the rest is sent.
    if (streamed instanceof Error) expect(streamed.message).toMatch(/fetch failed|closed|reset/i)
    else {
      expect(streamed.status).toBe(413)
      expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe(
        'XML_TOO_LARGE',
      )
    }
  })

  it('logs a client that closes the connection mid-body over a real socket as a client error, not INTERNAL', async () => {
    const { app, log } = formApp()
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server
    servers.push(server)
    await new Promise((ready) => server.once('listening', ready))
    const { port } = server.address() as { port: number }
    const socket = connect(port, '127.0.0.1')
    await new Promise((open) => socket.once('connect', open))
    socket.write(
      'POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nSAMLResponse=abc',
    )
    await new Promise((wait) => setTimeout(wait, 100))
    socket.destroy()
    for (let waited = 0; log.length === 0 && waited < 20_000; waited += 50) {
      await new Promise((wait) => setTimeout(wait, 50))
    }
    expect(log).toEqual(['SP POST /form REQUEST_BODY_INCOMPLETE request body'])
  })
})
