import { once } from 'node:events'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { loadOrCreateCredential } from '../../core/keys/index.ts'
import { createIdp, type Idp } from '../../idp/create-idp.tsx'

export interface AttackIdp {
  idp: Idp
  baseUrl: string
  /** How many times a fault shaped a message since the last call (read from the IdP's log). */
  takeApplied(): number
  close(): Promise<void>
}

export interface AttackIdpOptions {
  host: string
  port: number
  /** The URL the SP knows the IdP by (default `http://host:port`). */
  baseUrl?: string | undefined
  /** Where the IdP signing key lives: the same `idp-signing` credential `serve` uses. */
  dataDir: string
  /** Admin calls need `Authorization: Bearer <adminToken>` (required off loopback). */
  adminToken?: string | undefined
  log?: (line: string) => void
}

const appliedLine = /^IdP fault \S+ \(fault-\d+\) applied for /

/**
 * The fake IdP on loopback for `ssoproof attack`, with the key kept in the data folder so the
 * metadata the user's SP trusts stays the same from run to run. The port is bound first, so
 * port 0 works and the URLs in metadata carry the port actually bound.
 */
export async function startAttackIdp(options: AttackIdpOptions): Promise<AttackIdp> {
  const credential = await loadOrCreateCredential(options.dataDir, 'idp-signing', {
    commonName: 'ssoproof mock IdP',
  })
  let app: Idp['app'] | undefined
  const server = serve({
    fetch: (request) => app?.fetch(request) ?? new Response('starting', { status: 503 }),
    port: options.port,
    hostname: options.host,
  }) as Server
  try {
    await once(server, 'listening')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError(options.port)
    }
    throw error
  }
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host
  const baseUrl = (options.baseUrl ?? `http://${urlHost}:${port}`).replace(/\/+$/, '')
  let applied = 0
  const log = options.log ?? (() => {})
  const idp = createIdp({
    baseUrl,
    credential,
    ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
    log: (line) => {
      if (appliedLine.test(line)) applied++
      log(line)
    },
  })
  app = idp.app
  return {
    idp,
    baseUrl,
    takeApplied() {
      const count = applied
      applied = 0
      return count
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done())
        server.closeAllConnections()
      }),
  }
}

export class PortInUseError extends Error {
  override name = 'PortInUseError'
  constructor(readonly port: number) {
    super(`port ${port} is already in use`)
  }
}
