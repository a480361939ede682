import { once } from 'node:events'
import type { Server } from 'node:http'
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'
import { loadOrCreateCredential } from '../core/keys/index.ts'
import { defaultUsers } from '../idp/users/default-users.ts'
import { loadUsersFile } from '../idp/users/user-store.ts'
import { createPair } from './pair.ts'
import { type CommandSpec, parseCommandArgs, parsePort, UsageError } from './usage.ts'

const spec: CommandSpec = {
  name: 'serve',
  summary: 'Start the mock IdP and the reference SP, wired to each other',
  usage:
    'ssoproof serve [--idp-port 7000] [--sp-port 7100] [--users FILE] [--data DIR] [--binding post|artifact]',
  options: {
    'idp-port': {
      type: 'string',
      valueName: 'PORT',
      description: 'Port of the mock IdP',
      default: '7000',
    },
    'sp-port': {
      type: 'string',
      valueName: 'PORT',
      description: 'Port of the reference SP',
      default: '7100',
    },
    host: {
      type: 'string',
      valueName: 'HOST',
      description: 'Address to listen on and to put in URLs',
      default: '127.0.0.1',
    },
    users: {
      type: 'string',
      valueName: 'FILE',
      description:
        'YAML users file (users: [{id, name, email, password?, …}]); default: built-in users',
    },
    binding: {
      type: 'string',
      valueName: 'post|artifact',
      description: 'How the IdP delivers responses to the SP: HTTP-POST or HTTP-Artifact',
      default: 'post',
    },
    data: {
      type: 'string',
      valueName: 'DIR',
      description: 'Where keys and certificates are kept',
      default: '.ssoproof',
    },
  },
}

export interface RunningServe {
  idpUrl: string
  spUrl: string
  startupMs: number
  close(): Promise<void>
}

export interface ServeOptions {
  idpPort: number
  spPort: number
  host: string
  usersFile?: string | undefined
  dataDir: string
  /** How the IdP delivers responses to the SP (default post). */
  responseBinding?: 'post' | 'artifact'
  log?: (line: string) => void
}

/** Starts both servers; resolves once both listen. */
export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const started = performance.now()
  const log = options.log ?? ((line: string) => console.error(line))
  const dataDir = resolve(options.dataDir)
  const [idpCredential, spCredential, users] = await Promise.all([
    loadOrCreateCredential(dataDir, 'idp-signing', { commonName: 'ssoproof mock IdP' }),
    loadOrCreateCredential(dataDir, 'sp-signing', { commonName: 'ssoproof reference SP' }),
    options.usersFile ? loadUsersFile(options.usersFile) : Promise.resolve(defaultUsers),
  ])
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host
  const servers: Server[] = []
  const apps: { idp?: Hono; sp?: Hono } = {}
  const listen = async (what: 'idp' | 'sp', port: number) => {
    const fetch = (request: Request) =>
      apps[what]?.fetch(request) ??
      new Response('starting', { status: 503, headers: { 'Retry-After': '1' } })
    const server = serve({ fetch, port, hostname: options.host }) as Server
    servers.push(server)
    try {
      await once(server, 'listening')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      await closeAll(servers)
      if (code === 'EADDRINUSE') {
        throw new UsageError(
          `port ${port} (${what}) is already in use; choose another with --${what}-port`,
        )
      }
      throw error
    }
    const address = server.address()
    return typeof address === 'object' && address ? address.port : port
  }
  // Listen first so that the URLs in metadata carry the ports actually bound (port 0 works).
  const idpPort = await listen('idp', options.idpPort)
  const spPort = await listen('sp', options.spPort)
  const idpUrl = `http://${urlHost}:${idpPort}`
  const spUrl = `http://${urlHost}:${spPort}`
  const { idp, sp } = createPair({
    idpBaseUrl: idpUrl,
    spBaseUrl: spUrl,
    idpCredential,
    spCredential,
    users,
    log,
    ...(options.responseBinding
      ? { spRegistration: { responseBinding: options.responseBinding } }
      : {}),
  })
  apps.idp = idp.app
  apps.sp = sp.app
  return { idpUrl, spUrl, startupMs: performance.now() - started, close: () => closeAll(servers) }
}

async function closeAll(servers: Server[]): Promise<void> {
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

export const serveCommand = {
  spec,
  async run(args: string[]): Promise<number> {
    const values = parseCommandArgs(spec, args)
    const binding = String(values.binding)
    if (binding !== 'post' && binding !== 'artifact') {
      throw new UsageError(`--binding must be post or artifact, got "${binding}"`)
    }
    const running = await startServe({
      responseBinding: binding,
      idpPort: parsePort(values['idp-port'], 'idp-port'),
      spPort: parsePort(values['sp-port'], 'sp-port'),
      host: String(values.host),
      usersFile: values.users as string | undefined,
      dataDir: String(values.data),
    })
    process.stdout.write(
      [
        `ssoproof serve: ready in ${Math.round(running.startupMs)} ms`,
        `  IdP  ${running.idpUrl}/saml/metadata   (mock identity provider)`,
        `  SP   ${running.spUrl}/   ← open this in a browser and click "Sign in"`,
        `  keys in ${resolve(String(values.data))}; users: ${values.users ?? 'built-in (alice, bob, carol, dave)'}; responses by HTTP-${binding === 'post' ? 'POST' : 'Artifact'}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    )
    await new Promise<void>((done) => {
      const stop = () => done()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await running.close()
    process.stdout.write('ssoproof serve: stopped\n')
    return 0
  },
}
