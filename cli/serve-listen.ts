import type { Server } from 'node:http'
import type * as Https from 'node:https'
import type { serve as honoServe } from '@hono/node-server'
import { inSignInOrder, type StepOf } from '../core/http/sign-in-order.ts'
import type { TlsIdentity } from './serve-tls.ts'

// How `serve` listens, the same on both of its threads (serve.ts, serve-sp-thread-worker.ts).

export type AppFetch = (request: Request, env: unknown) => Response | Promise<Response>

/** What a server answers before its app is made: come back in a second. */
export function starting(): Response {
  return new Response('starting', { status: 503, headers: { 'Retry-After': '1' } })
}

/**
 * An HTTP server, or HTTPS with `identity`, for one of serve's apps; the requests that are steps
 * of a sign-in (`steps`) started in sign-in order when they queue up (sign-in-order.ts). The bindings
 * (`c.env.incoming`) carry the socket: the IdP reads TLS client certificates there
 * (`requestCert`: any client certificate is taken to the handler, which pins it to an SP's keys).
 */
export function createAppServer(input: {
  serve: typeof honoServe
  https: typeof Https | undefined
  fetch: AppFetch
  steps: StepOf
  port: number
  host: string
  identity: TlsIdentity | undefined
  requestCert: boolean
}): Server {
  const { serve, https, port, host, identity } = input
  const fetch = inSignInOrder(input.fetch, input.steps)
  return (
    https && identity
      ? serve({
          fetch,
          port,
          hostname: host,
          createServer: https.createServer,
          serverOptions: {
            cert: identity.certificatePem,
            key: identity.privateKeyPem,
            requestCert: input.requestCert,
            rejectUnauthorized: false,
          },
        })
      : serve({ fetch, port, hostname: host })
  ) as Server
}

/** Stops the servers: no new connections, the open ones closed. */
export async function closeAll(servers: Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((done) => {
          if (!server.listening) return done()
          server.close(() => done())
          server.closeAllConnections()
        }),
    ),
  )
}
