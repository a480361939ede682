import type { MiddlewareHandler } from 'hono'
import { SsoError } from '../errors/index.ts'

/**
 * Reads a request's body whole, once, before any handler runs, and puts it back in memory for
 * them: at most `maxBytes` (XML_TOO_LARGE, by Content-Length before reading when it is given). A
 * body the client stopped sending — the connection closed or reset before Content-Length bytes
 * came — is REQUEST_BODY_INCOMPLETE, a client error: no handler sees half a message, and the log
 * never calls it INTERNAL.
 */
export function readBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = () =>
    new SsoError('XML_TOO_LARGE', 'request body', 'the request body exceeds the size cap', {
      maxBytes,
    })
  return async function readWholeBody(c, next) {
    const raw = c.req.raw
    if (!raw.body) return next()
    const declared = raw.headers.get('content-length')
    if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
      throw tooLarge()
    }
    const chunks: Uint8Array[] = []
    let received = 0
    const reader = raw.body.getReader()
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        received += read.value.length
        if (received > maxBytes) break
        chunks.push(read.value)
      }
    } catch {
      throw new SsoError(
        'REQUEST_BODY_INCOMPLETE',
        'request body',
        'the client stopped sending the request body before it was complete',
        { bytesReceived: received },
      )
    }
    if (received > maxBytes) {
      await reader.cancel().catch(() => {})
      throw tooLarge()
    }
    c.req.raw = new Request(raw, { body: Buffer.concat(chunks) })
    return next()
  }
}
