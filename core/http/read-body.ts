import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import type { Context, MiddlewareHandler } from 'hono'
import { SsoError } from '../errors/index.ts'
import { bufferedRequest } from './buffered-request.ts'

/** A body read whole, or why not: longer than the cap, or the client stopped sending it. */
type Read =
  | { bytes: Buffer }
  | { shortfall: 'too-large' }
  | { shortfall: 'incomplete'; bytesReceived: number }

/**
 * Reads a request's body whole, once, before any handler runs, and puts it back in memory for
 * them: at most `maxBytes` (XML_TOO_LARGE, by Content-Length before reading when it is given). A
 * body the client stopped sending — the connection closed or reset before Content-Length bytes
 * came — is REQUEST_BODY_INCOMPLETE, a client error: no handler sees half a message, and the log
 * never calls it INTERNAL.
 *
 * On a server (`@hono/node-server`, `c.env.incoming`) the bytes are read from the socket's
 * stream itself: a WHATWG Request and stream per request cost more CPU than the rest of the
 * request's HTTP handling. GET and HEAD carry no body and are not touched.
 */
export function readBody(maxBytes: number): MiddlewareHandler {
  return async function readWholeBody(c, next) {
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD') return next()
    const raw = c.req.raw
    const declared = raw.headers.get('content-length')
    if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
      throw tooLarge(maxBytes)
    }
    const incoming = nodeIncoming(c)
    const read = incoming
      ? await readIncoming(incoming, maxBytes)
      : raw.body
        ? await readStream(raw.body, maxBytes)
        : undefined
    if (read === undefined) return next()
    if ('shortfall' in read) {
      if (read.shortfall === 'too-large') throw tooLarge(maxBytes)
      throw new SsoError(
        'REQUEST_BODY_INCOMPLETE',
        'request body',
        'the client stopped sending the request body before it was complete',
        { bytesReceived: read.bytesReceived },
      )
    }
    // Handlers read the form through Hono's body cache; `raw` keeps the bytes for those that
    // read the Request itself (JSON, SOAP, mounted apps).
    const request = bufferedRequest(raw, read.bytes)
    c.req.raw = request
    // Hono keeps the promise of each body kind it has read (typed as the Body method itself).
    // Each is made when something reads them, not before: the bytes are copied out for an
    // arrayBuffer() only when one is asked for, and the form is parsed when something reads it
    // (the form token check, a route): the ACS reads its 10 KB SAMLResponse form its own way,
    // and a body that is no form is never refused unless something asks for a form.
    // Configurable: an app mounted in another (a campaign under /c/<id>/) reads the body again.
    const cache = c.req.bodyCache as Record<string, Promise<unknown>>
    readOnDemand(cache, 'arrayBuffer', () => request.arrayBuffer())
    // The text too, read from the bytes: without it Hono's text() (and json()) would read it
    // through a Response made from the cached bytes (the ACS reads its form as text).
    readOnDemand(cache, 'text', () => request.text())
    readOnDemand(cache, 'formData', () => request.formData())
    return next()
  }
}

function tooLarge(maxBytes: number): SsoError {
  return new SsoError('XML_TOO_LARGE', 'request body', 'the request body exceeds the size cap', {
    maxBytes,
  })
}

/** The Node.js request behind a server's Request, unread; none in-process (app.request). */
function nodeIncoming(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming
  return incoming instanceof Readable && !incoming.readableDidRead
    ? (incoming as IncomingMessage)
    : undefined
}

/** A Node.js request's body, up to `maxBytes`; past the cap it stops listening (the server drains). */
function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<Read> {
  return new Promise((settle) => {
    const chunks: Buffer[] = []
    let received = 0
    const finish = (result: Read) => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onBroken)
      incoming.off('close', onClose)
      settle(result)
    }
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (received > maxBytes) {
        incoming.pause()
        finish({ shortfall: 'too-large' })
      } else chunks.push(chunk)
    }
    const onEnd = () =>
      finish({ bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks) })
    const onBroken = () => finish({ shortfall: 'incomplete', bytesReceived: received })
    // A close before the end: the connection went away mid-body.
    const onClose = () => {
      if (!incoming.readableEnded) onBroken()
    }
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', onBroken)
    incoming.on('close', onClose)
    if (incoming.readableEnded) onEnd()
    else if (incoming.destroyed) onBroken()
  })
}

/** A WHATWG body stream (in-process requests), up to `maxBytes`. */
async function readStream(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Read> {
  const chunks: Uint8Array[] = []
  let received = 0
  const reader = body.getReader()
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      received += read.value.length
      if (received > maxBytes) {
        await reader.cancel().catch(() => {})
        return { shortfall: 'too-large' }
      }
      chunks.push(read.value)
    }
  } catch {
    return { shortfall: 'incomplete', bytesReceived: received }
  }
  return { bytes: Buffer.concat(chunks) }
}

/**
 * One entry of Hono's body cache made on first read, not before; a value Hono sets (a mounted
 * app caching what it read) replaces it.
 */
function readOnDemand(
  cache: Record<string, Promise<unknown>>,
  kind: string,
  read: () => Promise<unknown>,
): void {
  let value: Promise<unknown> | undefined
  Object.defineProperty(cache, kind, {
    configurable: true,
    enumerable: true,
    get: () => {
      value ??= read()
      return value
    },
    set: (next: Promise<unknown>) => {
      value = next
    },
  })
}
