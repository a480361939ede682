import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'

export interface LoopbackFetchOptions {
  /** PEM certificates trusted for HTTPS, besides none: the lab's peers use their own. */
  trusted: () => string[]
  timeoutMs?: number
}

/**
 * A `fetch` for the lab's browser and admin calls: plain Node http/https over real sockets,
 * trusting only the lab's own certificates, and refusing any host but loopback — the lab never
 * talks to anything else.
 */
export function loopbackFetch(options: LoopbackFetchOptions) {
  return async (input: Request): Promise<Response> => {
    const url = new URL(input.url)
    if (!['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname)) {
      throw new Error(`interop: refusing a request to ${url.origin}: the lab stays on loopback`)
    }
    const body = input.body ? Buffer.from(await input.arrayBuffer()) : undefined
    const headers: Record<string, string> = {}
    input.headers.forEach((value, key) => {
      headers[key] = value
    })
    if (body) headers['content-length'] = String(body.length)
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const answer = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = send(
        url,
        {
          method: input.method,
          headers,
          ...(url.protocol === 'https:' ? { ca: options.trusted() } : {}),
          timeout: options.timeoutMs ?? 30_000,
        },
        resolve,
      )
      outgoing.on('timeout', () => outgoing.destroy(new Error(`timeout at ${url.href}`)))
      outgoing.on('error', reject)
      outgoing.end(body)
    })
    const chunks: Buffer[] = []
    for await (const chunk of answer) chunks.push(chunk as Buffer)
    const responseHeaders = new Headers()
    for (const [key, value] of Object.entries(answer.headers)) {
      if (value === undefined) continue
      for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(key, one)
    }
    const status = answer.statusCode ?? 502
    const nullBody = status === 204 || status === 304 || input.method === 'HEAD'
    return new Response(nullBody ? null : Buffer.concat(chunks), {
      status,
      headers: responseHeaders,
    })
  }
}
