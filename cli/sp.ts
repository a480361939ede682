import { once } from 'node:events'
import type { Server } from 'node:http'
import { join, resolve } from 'node:path'
import { serve } from '@hono/node-server'
import { inSignInOrder } from '../core/http/sign-in-order.ts'
import { loadOrCreateCredential } from '../core/keys/index.ts'
import { loadSpConfigFile } from '../sp/campaigns/config-file.ts'
import { createSp, type Sp } from '../sp/create-sp.tsx'
import { spSignInStep } from '../sp/sign-in-steps.ts'
import { openSpDatabase } from '../sp/store/database.ts'
import { adminTokenOption, allowFetchHostOption, planListen } from './listen-options.ts'
import { readSpSource } from './sp-source.ts'
import {
  type CommandSpec,
  optionalUrl,
  parseCommandArgs,
  parsePort,
  takeRepeatedHosts,
  UsageError,
} from './usage.ts'

const spec: CommandSpec = {
  name: 'sp',
  usage: `ssoproof sp --saml-metadata URL|FILE [options]
       ssoproof sp --oidc-issuer URL --client-id ID [--client-secret S] [--client-auth M]
                   [--id-token-alg LIST] [--scope S] [options]
       ssoproof sp (--jwt-key PEM | --jwks URL | --jwt-secret S) --jwt-login-url URL [--jwt-alg LIST]
                   [--jwt-issuer ISS] [--jwt-audience AUD] [options]

Prints what to register at the IdP, then serves the SP. Every sign-in attempt, accepted or
refused, ends on /diagnostics/<id>: each check with its outcome and why, the decoded message
(secrets redacted), and JSON, JUnit and HTML downloads. --check-all adds a guided page
(/check-all): sign-in, logout, and sign-in over HTTP-Artifact, with a final summary.`,
  options: {
    'saml-metadata': {
      type: 'string',
      valueName: 'URL|FILE',
      description: "SAML: the IdP's metadata (entity ID, SSO/SLO/artifact URLs, certificates)",
    },
    'oidc-issuer': {
      type: 'string',
      valueName: 'URL',
      description: 'OIDC: the issuer; endpoints come from its discovery document',
    },
    'client-id': { type: 'string', valueName: 'ID', description: 'OIDC: the client ID' },
    'client-secret': {
      type: 'string',
      valueName: 'S',
      description: 'OIDC: the client secret (also the HS256 key of its ID tokens)',
    },
    'client-auth': {
      type: 'string',
      valueName: 'M',
      description:
        'OIDC: client_secret_basic (default with a secret), client_secret_post, or none (a public client, PKCE only)',
    },
    'id-token-alg': {
      type: 'string',
      valueName: 'LIST',
      description:
        "OIDC: ID token algorithms accepted, e.g. RS256,ES256 (default: the provider's id_token_signing_alg_values_supported)",
    },
    scope: {
      type: 'string',
      valueName: 'S',
      description: 'OIDC: the scope asked for (default "openid profile email")',
    },
    'jwt-key': {
      type: 'string',
      valueName: 'PEM',
      description: "JWT: the IdP's certificate or public key (a PEM file)",
    },
    jwks: { type: 'string', valueName: 'URL', description: "JWT: the IdP's JWKS URL" },
    'jwt-secret': {
      type: 'string',
      valueName: 'S',
      description: 'JWT: the shared secret of HS256/384/512 tokens (32 bytes or more)',
    },
    'jwt-alg': {
      type: 'string',
      valueName: 'LIST',
      description: 'JWT: token algorithms accepted, e.g. ES256 or HS256 (default RS256)',
    },
    'jwt-login-url': {
      type: 'string',
      valueName: 'URL',
      description: "JWT: the IdP's remote login URL (the SP appends return_url)",
    },
    'jwt-issuer': { type: 'string', valueName: 'ISS', description: 'JWT: the expected iss' },
    'jwt-audience': { type: 'string', valueName: 'AUD', description: 'JWT: the expected aud' },
    mapping: {
      type: 'string',
      valueName: 'FILE',
      description:
        'YAML campaigns file (as serve --config; its first campaign: mappings, sign-in rules)',
    },
    port: { type: 'string', valueName: 'PORT', description: 'Port of the SP', default: '7100' },
    host: {
      type: 'string',
      valueName: 'HOST',
      description:
        'Address to listen on; not loopback: needs --admin-token; 0.0.0.0 or ::: needs --base-url',
      default: '127.0.0.1',
    },
    'base-url': {
      type: 'string',
      valueName: 'URL',
      description: 'Where the IdP and browsers reach the SP (default http://HOST:PORT)',
    },
    data: {
      type: 'string',
      valueName: 'DIR',
      description: 'Where the SP key, certificate and database (standalone-sp.sqlite) are kept',
      default: '.ssoproof',
    },
    'check-all': {
      type: 'boolean',
      description: 'Guided mode: sign-in, logout, artifact sign-in, then a summary',
    },
    'allow-unsolicited': {
      type: 'boolean',
      description:
        'SAML: accept IdP-initiated (unsolicited) Responses, to test IdP-initiated SSO; off by default (login CSRF)',
    },
    ...adminTokenOption,
    ...allowFetchHostOption,
  },
}

export interface SpCommandOptions {
  values: Record<string, string | boolean | undefined>
  /** --allow-fetch-host, repeated. */
  allowedFetchHosts?: string[]
  env?: NodeJS.ProcessEnv
  fetch?: typeof fetch
  log?: (line: string) => void
}

export interface RunningSp {
  url: string
  sp: Sp
  /** What to register at the IdP, and where to start: the lines `ssoproof sp` prints. */
  banner: string
  close(): Promise<void>
}

/** Parses the options, reads the IdP, listens, and serves the reference SP with diagnostics. */
export async function startSpCommand(options: SpCommandOptions): Promise<RunningSp> {
  const { values } = options
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init))
  const port = parsePort(values.port, 'port')
  const host = String(values.host ?? '127.0.0.1')
  const baseUrlOption = optionalUrl(values['base-url'], 'base-url')
  const listen = planListen({
    command: 'sp',
    host,
    baseUrlOptions: { 'base-url': baseUrlOption },
    adminToken: values['admin-token'] as string | undefined,
    ...(options.env ? { env: options.env } : {}),
  })
  for (const warning of listen.warnings) (options.log ?? console.error)(warning)
  const source = await readSpSource(values, fetchImpl, options.allowedFetchHosts)
  const mapping = typeof values.mapping === 'string' ? await loadSpConfigFile(values.mapping) : {}
  if ((mapping.campaigns?.length ?? 0) > 0 || mapping.agentSso !== undefined) {
    throw new UsageError(
      '--mapping: ssoproof sp uses one campaign; the file may hold only the first (no further campaigns, no agentSso)',
    )
  }
  if (mapping.idpMetadata !== undefined) {
    throw new UsageError(
      '--mapping: the IdP of ssoproof sp comes from its own options (--saml-metadata …), not from idpMetadata',
    )
  }
  const dataDir = resolve(String(values.data ?? '.ssoproof'))
  const credential = await loadOrCreateCredential(dataDir, 'sp-signing', {
    commonName: 'ssoproof reference SP',
  })
  // Not serve's sp.sqlite: the README runs both over one --data, and each SP keeps its own file.
  // Opened before the port is taken: a file it cannot use (STORE_UNUSABLE) leaves nothing open.
  const database = openSpDatabase(join(dataDir, 'standalone-sp.sqlite'))
  let app: Sp['app'] | undefined
  const server = serve({
    fetch: inSignInOrder(
      (request) => app?.fetch(request) ?? new Response('starting', { status: 503 }),
      spSignInStep,
    ),
    port,
    hostname: host,
  }) as Server
  try {
    await once(server, 'listening')
  } catch (error) {
    database.close()
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${port} is already in use; choose another with --port`)
    }
    throw error
  }
  const address = server.address()
  const boundPort = typeof address === 'object' && address ? address.port : port
  const urlHost = host.includes(':') ? `[${host}]` : host
  const url = baseUrlOption ?? `http://${urlHost}:${boundPort}`
  const close = async () => {
    await new Promise<void>((done) => {
      server.close(() => done())
      server.closeAllConnections()
    })
    if (database.open) database.close()
  }
  let sp: Sp
  try {
    sp = createSp({
      ...mapping,
      ...source.connection,
      baseUrl: url,
      credential,
      database,
      diagnostics: true,
      checkAll: values['check-all'] === true,
      ...(values['allow-unsolicited'] === true ? { allowUnsolicited: true } : {}),
      fetch: fetchImpl,
      ...(listen.adminToken !== undefined ? { adminToken: listen.adminToken } : {}),
      ...(options.allowedFetchHosts ? { allowedFetchHosts: options.allowedFetchHosts } : {}),
      ...(options.log ? { log: options.log } : {}),
    })
  } catch (error) {
    await close()
    throw error
  }
  app = sp.app
  const urls = sp.config.urls
  const register =
    source.connection.protocol === 'saml'
      ? [
          `  SP metadata   ${urls.metadata}`,
          `  entity ID     ${sp.config.entityId}`,
          `  ACS URL       ${urls.acs}   (HTTP-POST; HTTP-Artifact at index 1)`,
          `  logout (SLO)  ${urls.slo}`,
        ]
      : source.connection.protocol === 'oidc'
        ? [
            `  redirect URI  ${urls.oidcCallback}`,
            `  post-logout redirect URI  ${urls.home}`,
            `  back-channel logout URI   ${urls.oidcBackChannelLogout}`,
            `  front-channel logout URI  ${urls.oidcFrontChannelLogout}`,
            `  initiate login URI        ${urls.oidcInitiateLogin}`,
          ]
        : [`  return URL    ${urls.jwtCallback}   (the IdP redirects here with ?token=)`]
  const banner = [
    `ssoproof sp: the reference SP at ${url}`,
    `  IdP: ${source.description}`,
    'Register at your IdP:',
    ...register,
    values['check-all'] === true
      ? `Then open ${url}/check-all   ← the guided check: sign-in, logout${source.connection.protocol === 'saml' ? ', HTTP-Artifact' : ''}`
      : `Then open ${url}/login   ← each attempt ends on its diagnostics page (all: ${url}/diagnostics)`,
    '',
  ].join('\n')
  return { url, sp, banner, close }
}

export const spCommand = {
  spec,
  async run(args: string[]): Promise<number> {
    const { values: allowedFetchHosts, rest } = takeRepeatedHosts(args, 'allow-fetch-host')
    const values = parseCommandArgs(spec, rest)
    const running = await startSpCommand({ values, allowedFetchHosts })
    process.stdout.write(`${running.banner}Press Ctrl-C to stop.\n`)
    await new Promise<void>((done) => {
      const stop = () => done()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await running.close()
    process.stdout.write('ssoproof sp: stopped\n')
    return 0
  },
}
