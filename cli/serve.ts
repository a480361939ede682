import { once } from 'node:events'
import { mkdir } from 'node:fs/promises'
import type { Server } from 'node:http'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Hono } from 'hono'
import { allDone } from '../core/async/all-done.ts'
import { type Credential, loadOrCreateCredential } from '../core/keys/index.ts'
import type { SpCampaignOptions } from '../sp/campaigns/config-file.ts'
import type { Sp } from '../sp/create-sp.tsx'
import type { SpIdpSettings, SpProtocol } from '../sp/options.ts'
import type { SpDatabase } from '../sp/store/database.ts'
import { batchedLog } from './batched-log.ts'
import { boundHeapGrowth } from './heap-growth.ts'
import { adminTokenOption, allowFetchHostOption, planListen } from './listen-options.ts'
import { defaultDataDir, takeEarlyIdpKeyPair } from './serve-keys.ts'
import { hostMismatch, type ServeTlsOptions, serveTlsIdentities } from './serve-tls.ts'
import {
  type CommandSpec,
  optionalUrl,
  parseCommandArgs,
  parsePort,
  takeRepeatedHosts,
  UsageError,
} from './usage.ts'

const spec: CommandSpec = {
  name: 'serve',
  usage:
    'ssoproof serve [--idp-port 7000] [--sp-port 7100] [--host HOST [--idp-base-url URL --sp-base-url URL] --admin-token TOKEN] [--users FILE] [--config FILE] [--data DIR] [--binding post|artifact] [--tls [--tls-cert FILE --tls-key FILE]]',
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
      description:
        'Address to listen on and to put in URLs; not loopback: needs --admin-token; 0.0.0.0 or ::: needs both base URLs',
      default: '127.0.0.1',
    },
    'idp-base-url': {
      type: 'string',
      valueName: 'URL',
      description: 'Where browsers and SPs reach the IdP (default http://HOST:IDP-PORT)',
    },
    'sp-base-url': {
      type: 'string',
      valueName: 'URL',
      description: 'Where browsers and the IdP reach the SP (default http://HOST:SP-PORT)',
    },
    ...adminTokenOption,
    ...allowFetchHostOption,
    'frame-ancestors': {
      type: 'string',
      valueName: 'LIST',
      description:
        "Which pages may show the IdP's pages in a frame (the messenger's login inside its panel): none, or a comma-separated list of self, sp (the reference SP's origin) and origins; default any",
    },
    users: {
      type: 'string',
      valueName: 'FILE',
      description:
        'YAML users file (users: [{id, name, email, password?, …}]); default: built-in users',
    },
    config: {
      type: 'string',
      valueName: 'FILE',
      description:
        'YAML campaigns file (campaigns: [root, {id, protocol, …}]; see sp/campaigns/example.yaml); default: one SAML campaign at the root',
    },
    binding: {
      type: 'string',
      valueName: 'post|artifact',
      description: 'How the IdP delivers responses to the SP: HTTP-POST or HTTP-Artifact',
      default: 'post',
    },
    tls: {
      type: 'boolean',
      description:
        'Serve HTTPS: each server with its own signing certificate (SubjectAltName for --host), the IdP asking clients for a certificate (TLS client authentication of ArtifactResolve)',
    },
    'tls-cert': {
      type: 'string',
      valueName: 'FILE',
      description: 'With --tls: a PEM certificate for both servers instead of their own',
    },
    'tls-key': {
      type: 'string',
      valueName: 'FILE',
      description: 'With --tls: the PEM private key of --tls-cert',
    },
    data: {
      type: 'string',
      valueName: 'DIR',
      description:
        'Where keys, certificates and the IdP and SP databases (idp.sqlite, sp.sqlite) are kept',
      default: defaultDataDir,
    },
  },
}

export interface RunningServe {
  idpUrl: string
  spUrl: string
  /**
   * The SP's campaigns, the root one first, each with its messenger page; a campaign that signs
   * in at an IdP of its own (`idpMetadata`) names it and the SP metadata to register there.
   */
  campaigns: Array<{
    id: string
    name: string
    protocol: SpProtocol
    messengerUrl: string
    externalIdp?: { entityId: string; spMetadataUrl: string }
  }>
  /** The agent console, one for every campaign. */
  agentUrl: string
  /** The agent SSO sites of the campaigns file; with any, the console needs an agent sign-in. */
  agentSites: string[]
  startupMs: number
  /** Stops both servers, then closes the IdP and SP databases. */
  close(): Promise<void>
}

export interface ServeOptions {
  idpPort: number
  spPort: number
  host: string
  usersFile?: string | undefined
  /** The campaigns file (sp/campaigns/config-file.ts); none: one SAML campaign at the root. */
  configFile?: string | undefined
  /** Keys, certificates and the databases `idp.sqlite` and `sp.sqlite`, kept across restarts. */
  dataDir: string
  /** How the IdP delivers responses to the SP (default post). */
  responseBinding?: 'post' | 'artifact'
  /** The URLs others reach the servers by (default http://host:port). */
  idpBaseUrl?: string | undefined
  spBaseUrl?: string | undefined
  /** Admin calls need `Authorization: Bearer <adminToken>`. */
  adminToken?: string | undefined
  /** Hosts outbound fetches may reach besides loopback and public addresses. */
  allowedFetchHosts?: string[]
  /**
   * The IdP's CSP frame-ancestors: `[]` none, else `'self'`, `sp` (the SP's origin) and origins;
   * undefined, any page (frameAncestorsOption reads the flag).
   */
  frameAncestors?: string[] | undefined
  /** Serve HTTPS (serve-tls.ts): the servers' own certificates, or the files given. */
  tls?: ServeTlsOptions | undefined
  log?: (line: string) => void
  /** How campaigns' `idpMetadata` URLs are fetched (default: global fetch). */
  fetch?: typeof fetch
}

/**
 * Starts both servers; resolves once both listen. The IdP keeps its state (sessions, artifacts,
 * what the admin API added) in `<dataDir>/idp.sqlite`, the SP its own (sessions, contacts,
 * conversations, transcripts) in `<dataDir>/sp.sqlite`, so a restart loses none of it.
 */
export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const started = performance.now()
  boundHeapGrowth()
  const dataDir = resolve(options.dataDir)
  // On a first start the IdP's key is generated on libuv's threads while this thread loads the
  // IdP and the HTTP server, imported below rather than at the top of the file; the SP's key once
  // the IdP can answer, so that neither its generation nor the SP's code delays that first answer
  // (startServers).
  // `ssoproof serve` began that key before this code loaded (serve-keys.ts), when it is new.
  const earlyKeyPair = takeEarlyIdpKeyPair()
  const idpCredential = loadOrCreateCredential(dataDir, 'idp-signing', {
    commonName: 'ssoproof mock IdP',
    subjectAltNames: [options.host],
    ...(earlyKeyPair ? { keyPair: earlyKeyPair } : {}),
  })
  idpCredential.catch(() => {}) // awaited in startServers; a failure is thrown there
  let spCredential: Promise<Credential> | undefined
  const spKey = () => {
    spCredential ??= loadOrCreateCredential(dataDir, 'sp-signing', {
      commonName: 'ssoproof reference SP',
      subjectAltNames: [options.host],
    })
    return spCredential
  }
  try {
    return await startServers(options, started, dataDir, { idp: idpCredential, sp: spKey })
  } catch (error) {
    // A start that fails returns only once a key it began is written (or failed) too.
    await idpCredential.catch(() => {})
    await spCredential?.catch(() => {})
    throw error
  }
}

async function startServers(
  options: ServeOptions,
  started: number,
  dataDir: string,
  credentials: { idp: Promise<Credential>; sp: () => Promise<Credential> },
): Promise<RunningServe> {
  // Log lines leave the request's path: written together after each turn of the event loop.
  const stderr = batchedLog((text) => process.stderr.write(text))
  const log = options.log ?? stderr.log
  const [
    { serve },
    { createPairInSteps },
    { defaultUsers },
    { loadUsersFile },
    { openIdpDatabase },
  ] = await Promise.all([
    import('@hono/node-server'),
    import('../harness/pair-in-steps.ts'),
    import('../idp/users/default-users.ts'),
    import('../idp/users/user-store.ts'),
    import('../idp/store/database.ts'),
  ])
  // Both files settle before a failure is thrown (and startServe waits for the keys it began, so
  // that a bad config file does not return while a key is still being written to the folder).
  // The IdP's key is awaited only once the database is open and both servers listen: on a first
  // start that work is done while the key is still being generated.
  const [users, campaignOptions] = await allDone([
    options.usersFile ? loadUsersFile(options.usersFile) : Promise.resolve(defaultUsers),
    options.configFile
      ? import('../sp/campaigns/config-file.ts').then((file) =>
          file.loadSpConfigFile(options.configFile as string),
        )
      : Promise.resolve({}),
  ])
  const { idpMetadata, ...spCampaigns } = campaignOptions as SpCampaignOptions
  const tls = options.tls
    ? serveTlsIdentities(options.tls, { idp: await credentials.idp, sp: await credentials.sp() })
    : undefined
  for (const identity of tls ? [tls.idp, tls.sp] : []) {
    const warning = hostMismatch(identity, options.host)
    if (warning) log(`ssoproof serve: warning: ${warning}`)
  }
  const https = tls ? await import('node:https') : undefined
  const ownIdps = idpMetadata
    ? await readCampaignIdps(
        idpMetadata,
        options.fetch ?? ((input, init) => fetch(input, init)),
        options.allowedFetchHosts ?? [],
      )
    : new Map<string, SpIdpSettings>()
  // A first start may get here before the key's writing made the folder (as it would, 0700).
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const idpDatabase = openIdpDatabase(join(dataDir, 'idp.sqlite'))
  // Opened once the IdP answers (below); closed by shutDown whenever it was.
  let database: SpDatabase | undefined
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host
  const servers: Server[] = []
  const shutDown = async () => {
    await closeAll(servers)
    for (const db of [database, idpDatabase]) if (db?.open) db.close()
    stderr.flush()
  }
  const apps: { idp?: Hono; sp?: Hono } = {}
  const listen = async (what: 'idp' | 'sp', port: number) => {
    // The bindings (`c.env.incoming`) carry the socket: the IdP reads TLS client certificates there.
    const fetch = (request: Request, env: unknown) =>
      apps[what]?.fetch(request, env) ??
      new Response('starting', { status: 503, headers: { 'Retry-After': '1' } })
    const identity = tls?.[what]
    const server = (
      https && identity
        ? serve({
            fetch,
            port,
            hostname: options.host,
            createServer: https.createServer,
            serverOptions: {
              cert: identity.certificatePem,
              key: identity.privateKeyPem,
              // Any client certificate is taken to the handler, which pins it to an SP's keys.
              requestCert: what === 'idp',
              rejectUnauthorized: false,
            },
          })
        : serve({ fetch, port, hostname: options.host })
    ) as Server
    servers.push(server)
    try {
      await once(server, 'listening')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      await shutDown()
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
  const scheme = tls ? 'https' : 'http'
  const idpUrl = (options.idpBaseUrl ?? `${scheme}://${urlHost}:${idpPort}`).replace(/\/+$/, '')
  const spUrl = (options.spBaseUrl ?? `${scheme}://${urlHost}:${spPort}`).replace(/\/+$/, '')
  let sp: Sp
  try {
    // The IdP answers as soon as it is made; the SP once its key is there (createPairInSteps).
    const steps = createPairInSteps({
      idpBaseUrl: idpUrl,
      spBaseUrl: spUrl,
      idpCredential: await credentials.idp,
      users,
      log,
      idpDatabase,
      ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
      ...(options.allowedFetchHosts ? { allowedFetchHosts: options.allowedFetchHosts } : {}),
      ...(options.frameAncestors
        ? {
            idpFrameAncestors: options.frameAncestors.map((source) =>
              source === 'sp' ? new URL(spUrl).origin : source,
            ),
          }
        : {}),
      ...(options.responseBinding
        ? { spRegistration: { responseBinding: options.responseBinding } }
        : {}),
    })
    apps.idp = steps.idp.app
    const spCredential = credentials.sp()
    const { openSpDatabase } = await import('../sp/store/database.ts')
    database = openSpDatabase(join(dataDir, 'sp.sqlite'))
    sp = await steps.attach(await spCredential, { ...withOwnIdps(spCampaigns, ownIdps), database })
  } catch (error) {
    await shutDown()
    throw error
  }
  apps.sp = sp.app
  return {
    idpUrl,
    spUrl,
    campaigns: [...sp.campaigns.values()].map((campaign) => ({
      id: campaign.settings.id,
      name: campaign.settings.name,
      protocol: campaign.config.protocol,
      messengerUrl: `${spUrl}${campaign.pathPrefix}/messenger`,
      ...(ownIdps.has(campaign.settings.id)
        ? {
            externalIdp: {
              entityId: campaign.config.idp.entityId,
              spMetadataUrl: campaign.config.urls.metadata,
            },
          }
        : {}),
    })),
    agentUrl: `${spUrl}/agent`,
    agentSites: [...(sp.agentSso?.sites.keys() ?? [])],
    startupMs: performance.now() - started,
    close: shutDown,
  }
}

/** Reads each campaign's own IdP from its metadata (`idpMetadata`), all before anything listens. */
async function readCampaignIdps(
  where: Record<string, string>,
  fetchImpl: typeof fetch,
  allowedFetchHosts: readonly string[],
): Promise<Map<string, SpIdpSettings>> {
  const { readIdpMetadata } = await import('./idp-metadata.ts')
  const read = await Promise.all(
    Object.entries(where).map(async ([id, location]) => {
      const { idp } = await readIdpMetadata(
        location,
        fetchImpl,
        `campaign ${id}: idpMetadata`,
        allowedFetchHosts,
      )
      return [id, idp] as const
    }),
  )
  return new Map(read)
}

/** The campaigns with an IdP of their own, that IdP set as their connection's. */
function withOwnIdps(
  options: Omit<SpCampaignOptions, 'idpMetadata'>,
  idps: Map<string, SpIdpSettings>,
): Omit<SpCampaignOptions, 'idpMetadata'> & { idp?: SpIdpSettings } {
  const rootIdp = idps.get(options.campaign?.id ?? 'default')
  return {
    ...options,
    ...(rootIdp ? { idp: rootIdp } : {}),
    ...(options.campaigns
      ? {
          campaigns: options.campaigns.map((campaign) => {
            const idp = idps.get(campaign.id)
            return idp ? { ...campaign, idp } : campaign
          }),
        }
      : {}),
  }
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
    const { values: allowedFetchHosts, rest } = takeRepeatedHosts(args, 'allow-fetch-host')
    const values = parseCommandArgs(spec, rest)
    const binding = String(values.binding)
    if (binding !== 'post' && binding !== 'artifact') {
      throw new UsageError(`--binding must be post or artifact, got "${binding}"`)
    }
    if (values.tls !== true && (values['tls-cert'] || values['tls-key'])) {
      throw new UsageError('--tls-cert and --tls-key go with --tls')
    }
    if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
      throw new UsageError('--tls-cert and --tls-key go together')
    }
    const idpBaseUrl = optionalUrl(values['idp-base-url'], 'idp-base-url')
    const spBaseUrl = optionalUrl(values['sp-base-url'], 'sp-base-url')
    const listen = planListen({
      command: 'serve',
      host: String(values.host),
      baseUrlOptions: { 'idp-base-url': idpBaseUrl, 'sp-base-url': spBaseUrl },
      adminToken: values['admin-token'] as string | undefined,
    })
    for (const warning of listen.warnings) process.stderr.write(`${warning}\n`)
    const running = await startServe({
      idpBaseUrl,
      spBaseUrl,
      adminToken: listen.adminToken,
      allowedFetchHosts,
      frameAncestors: frameAncestorsOption(values['frame-ancestors'] as string | undefined),
      responseBinding: binding,
      tls:
        values.tls === true
          ? {
              certFile: values['tls-cert'] as string | undefined,
              keyFile: values['tls-key'] as string | undefined,
            }
          : undefined,
      idpPort: parsePort(values['idp-port'], 'idp-port'),
      spPort: parsePort(values['sp-port'], 'sp-port'),
      host: String(values.host),
      usersFile: values.users as string | undefined,
      configFile: values.config as string | undefined,
      dataDir: String(values.data),
    })
    process.stdout.write(
      [
        // From the process's start: what a person waits for, the loading of the code included.
        `ssoproof serve: ready in ${Math.round(performance.now())} ms`,
        `  IdP  ${running.idpUrl}/saml/metadata   (mock identity provider)`,
        `  SP   ${running.spUrl}/   ← open this in a browser and click "Sign in"`,
        ...running.campaigns.flatMap((campaign) => [
          `  messenger  ${campaign.messengerUrl}   (${campaign.name}, ${campaign.protocol.toUpperCase()}${campaign.externalIdp ? ` at ${campaign.externalIdp.entityId}` : ''})`,
          ...(campaign.externalIdp
            ? [`             register its SP at that IdP: ${campaign.externalIdp.spMetadataUrl}`]
            : []),
        ]),
        `  agent      ${running.agentUrl}   (agent console${running.agentSites.length > 0 ? `, agent SSO for sites ${running.agentSites.join(', ')}` : ''})`,
        ...(running.agentSites.length > 0
          ? [`  admin      ${running.spUrl}/admin   (agent SSO sites, certificates, agents)`]
          : []),
        `  keys and databases in ${resolve(String(values.data))}; users: ${values.users ?? 'built-in (alice, bob, carol, dave)'}; campaigns: ${values.config ?? 'one, SAML'}; responses by HTTP-${binding === 'post' ? 'POST' : 'Artifact'}${values.tls === true ? `; HTTPS with ${values['tls-cert'] ?? 'each server’s own signing certificate'}` : ''}`,
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

/**
 * `--frame-ancestors`: `none`, or `self`, `sp` and http(s) origins separated by commas (CSP
 * frame-ancestors sources; `'self'` may keep its quotes).
 */
export function frameAncestorsOption(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const items = value
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean)
  if (items.length === 1 && items[0]?.toLowerCase() === 'none') return []
  return items.map((item) => {
    if (item === 'self' || item === "'self'") return "'self'"
    if (item === 'sp') return 'sp'
    if (/^https?:\/\/[^\s;,'/]+$/.test(item.replace(/\/$/, '')) && URL.canParse(item)) {
      return new URL(item).origin
    }
    throw new UsageError(
      `--frame-ancestors takes none, or self, sp and http(s) origins separated by commas; got "${item}"`,
    )
  })
}
