import { once } from 'node:events'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'

export type FetchHandler = (request: Request, env?: unknown) => Response | Promise<Response>

/** A loopback HTTP server on a free port whose handler is set once its URL is known. */
export interface LoopbackServer {
  url: string
  handle(handler: FetchHandler): void
  close(): Promise<void>
}

export async function listenLoopback(): Promise<LoopbackServer> {
  let current: FetchHandler = () => new Response('starting', { status: 503 })
  const server = serve({
    // The bindings go through as `serve` passes them (`c.env.incoming`: bodies read from the socket).
    fetch: (request, env) => current(request, env),
    port: 0,
    hostname: '127.0.0.1',
  }) as Server
  await once(server, 'listening')
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    handle(handler) {
      current = handler
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done())
        server.closeAllConnections()
      }),
  }
}
