import { once } from 'node:events'
import type { Server } from 'node:http'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Hono } from 'hono'
import { allDone } from '../core/async/all-done.ts'
import { type Credential, loadOrCreateCredential } from '../core/keys/index.ts'
import { makeNamedFolder } from '../core/store/make-folder.ts'
import { idpSignInStep } from '../idp/sign-in-steps.ts'
import type { SpCampaignOptions } from '../sp/campaigns/config-file.ts'
import type { Sp } from '../sp/create-sp.tsx'
import type { SpIdpSettings, SpProtocol } from '../sp/options.ts'
import { spSignInStep } from '../sp/sign-in-steps.ts'
import type { SpDatabase } from '../sp/store/database.ts'
import { type BatchedLog, batchedLog } from './batched-log.ts'
import { boundHeapGrowth, keepRequestObjectsYoung } from './heap-growth.ts'
import { adminTokenOption, allowFetchHostOption, planListen } from './listen-options.ts'
import type { Checkpoints } from './serve-checkpoints.ts'
import { defaultDataDir, takeEarlyIdpKeyPair } from './serve-keys.ts'
import { closeAll, createAppServer, starting } from './serve-listen.ts'
import type { SpThread } from './serve-sp-thread.ts'
import { type SpCampaignSummary, spSummary } from './serve-sp-thread-messages.ts'
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
    'ssoproof serve [--idp-port 7000] [--sp-port 7100] [--host HOST [--idp-base-url URL --sp-base-url URL] --admin-token TOKEN] [--users FILE] [--config FILE] [--data DIR] [--binding post|artifact] [--tls [--tls-cert FILE --tls-key FILE]] [--threads 1|2]',
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
    threads: {
      type: 'string',
      valueName: '1|2',
      description:
        '2: the IdP and the SP each on a thread of its own, so that a load of sign-ins uses two cores (the default where the machine has two cores or more); 1: both on one thread, for one core (a container limited to one), where a second thread only costs memory (a second heap) and start-up time',
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
  /**
   * 2: the SP on a thread of its own (serve-sp-thread.ts), the IdP on this one; 1: both on this
   * thread. Default 2 where the machine has two or more cores (`os.availableParallelism()`).
   */
  threads?: 1 | 2 | undefined
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
    if (spCredential === undefined) {
      spCredential = loadOrCreateCredential(dataDir, 'sp-signing', {
        commonName: 'ssoproof reference SP',
        subjectAltNames: [options.host],
      })
      // Awaited in startServers after other awaits: a key file it cannot use must not reject
      // unhandled meanwhile (a crash with a stack instead of CONFIG_INVALID naming the file).
      spCredential.catch(() => {})
    }
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
  const threads = options.threads ?? defaultThreads()
  const [
    { serve },
    { createPairInSteps },
    { pairIdp },
    { parsePairIdpOptions },
    { defaultUsers },
    { loadUsersFile },
    { openIdpDatabase },
  ] = await Promise.all([
    import('@hono/node-server'),
    import('../harness/pair-in-steps.ts'),
    import('../harness/pair-idp.ts'),
    import('../harness/pair-idp-options.ts'),
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
  makeNamedFolder(dataDir, 'the data folder')
  const idpDatabase = openIdpDatabase(join(dataDir, 'idp.sqlite'))
  // Opened once the IdP answers (below); closed by shutDown whenever it was.
  let database: SpDatabase | undefined
  // With two threads, the SP's: its server and database (serve-sp-thread.ts); and the thread
  // that checkpoints both databases (serve-checkpoints.ts).
  let spThread: SpThread | undefined
  let checkpoints: Checkpoints | undefined
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host
  const servers: Server[] = []
  const shutDown = async () => {
    await Promise.all([closeAll(servers), spThread?.close(), checkpoints?.close()])
    for (const db of [database, idpDatabase]) if (db?.open) db.close()
    stderr.flush()
  }
  const portInUse = (error: unknown, what: 'idp' | 'sp', port: number) =>
    (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? new UsageError(
          `port ${port} (${what}) is already in use; choose another with --${what}-port`,
        )
      : error
  const apps: { idp?: Hono; sp?: Hono } = {}
  const listen = async (what: 'idp' | 'sp', port: number) => {
    const server = createAppServer({
      serve,
      https,
      fetch: (request, env) => apps[what]?.fetch(request, env) ?? starting(),
      steps: what === 'idp' ? idpSignInStep : spSignInStep,
      port,
      host: options.host,
      identity: tls?.[what],
      requestCert: what === 'idp',
    })
    servers.push(server)
    try {
      await once(server, 'listening')
    } catch (error) {
      await shutDown()
      throw portInUse(error, what, port)
    }
    const address = server.address()
    return typeof address === 'object' && address ? address.port : port
  }
  const scheme = tls ? 'https' : 'http'
  const baseUrl = (given: string | undefined, port: number) =>
    (given ?? `${scheme}://${urlHost}:${port}`).replace(/\/+$/, '')
  // The SP's URL is needed here only for a frame policy that names the SP (`sp`).
  const idpFirstStep = (idpUrl: string, spUrl: string | undefined) => ({
    idpBaseUrl: idpUrl,
    users,
    log,
    idpDatabase,
    ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
    ...(options.allowedFetchHosts ? { allowedFetchHosts: options.allowedFetchHosts } : {}),
    ...(options.frameAncestors
      ? {
          idpFrameAncestors: options.frameAncestors.map((source) =>
            source === 'sp' ? new URL(spUrl as string).origin : source,
          ),
        }
      : {}),
  })
  const spSettings = withOwnIdps(spCampaigns, ownIdps)
  const spRegistration = options.responseBinding
    ? { responseBinding: options.responseBinding }
    : undefined
  const running = (
    idpUrl: string,
    spUrl: string,
    campaigns: SpCampaignSummary[],
    agentSites: string[],
  ): RunningServe => {
    keepRequestObjectsYoung()
    return {
      idpUrl,
      spUrl,
      campaigns: campaigns.map((campaign) => ({
        id: campaign.id,
        name: campaign.name,
        protocol: campaign.protocol,
        messengerUrl: `${spUrl}${campaign.pathPrefix}/messenger`,
        ...(ownIdps.has(campaign.id)
          ? { externalIdp: { entityId: campaign.idpEntityId, spMetadataUrl: campaign.metadataUrl } }
          : {}),
      })),
      agentUrl: `${spUrl}/agent`,
      agentSites,
      startupMs: performance.now() - started,
      close: shutDown,
    }
  }

  if (threads === 2) {
    // Listen first so that the URLs in metadata carry the ports actually bound (port 0 works).
    const idpPort = await listen('idp', options.idpPort)
    const idpUrl = baseUrl(options.idpBaseUrl, idpPort)
    const startThread = async () => {
      const { startSpThread } = await import('./serve-sp-thread.ts')
      spThread = startSpThread(
        { host: options.host, port: options.spPort, ...(tls ? { tls: tls.sp } : {}) },
        { log, onFailure: (error) => failed(error, shutDown, stderr) },
      )
      return spThread
    }
    let spUrl =
      options.spBaseUrl || options.spPort !== 0
        ? baseUrl(options.spBaseUrl, options.spPort)
        : undefined
    try {
      // The IdP answers first, the SP's thread starts after (its code loads on the other core
      // while the SP's key is made) — unless the IdP's frame policy names the SP's origin and
      // only the SP's listener can tell its port.
      let thread: SpThread | undefined
      const spPort = async (started: SpThread) =>
        await started.listening.catch((error: unknown) => {
          throw portInUse(error, 'sp', options.spPort)
        })
      if (spUrl === undefined && options.frameAncestors?.includes('sp')) {
        thread = await startThread()
        spUrl = baseUrl(undefined, await spPort(thread))
      }
      const idp = pairIdp(
        parsePairIdpOptions({
          ...idpFirstStep(idpUrl, spUrl),
          idpCredential: await credentials.idp,
        }),
      )
      apps.idp = idp.app
      thread ??= await startThread()
      const spCredential = credentials.sp()
      spUrl = baseUrl(options.spBaseUrl, await spPort(thread))
      const { certificatePem, privateKeyPem } = await spCredential
      const attached = await thread.attach({
        spBaseUrl: spUrl,
        credential: { certificatePem, privateKeyPem },
        idp: {
          metadata: idp.metadata(),
          urls: idp.config.urls,
          issuer: idp.config.issuer,
          entityId: idp.config.entityId,
          certificatePem: idp.config.credential.certificatePem,
        },
        dataDir,
        ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
        ...(options.allowedFetchHosts ? { allowedFetchHosts: options.allowedFetchHosts } : {}),
        ...(spRegistration ? { spRegistration } : {}),
        sp: spSettings,
      })
      // As createPair registers them, in the order the SP's wiring made them.
      for (const { registry, input } of attached.registrations) idp[registry].register(input)
      // Both files exist now (the SP's thread opened its own): their checkpoints leave the
      // threads that serve (the SP's connection leaves them on its own, serve-sp-thread-worker).
      const { serveCheckpointsElsewhere, startCheckpoints } = await import('./serve-checkpoints.ts')
      serveCheckpointsElsewhere(idpDatabase)
      checkpoints = startCheckpoints([join(dataDir, 'idp.sqlite'), join(dataDir, 'sp.sqlite')], log)
      await thread.go()
      return running(idpUrl, spUrl, attached.campaigns, attached.agentSites)
    } catch (error) {
      await shutDown()
      throw error
    }
  }

  // One thread: both servers on this event loop.
  const idpPort = await listen('idp', options.idpPort)
  const spPort = await listen('sp', options.spPort)
  const idpUrl = baseUrl(options.idpBaseUrl, idpPort)
  const spUrl = baseUrl(options.spBaseUrl, spPort)
  let sp: Sp
  try {
    // The IdP answers as soon as it is made; the SP once its key is there (createPairInSteps).
    const steps = createPairInSteps({
      ...idpFirstStep(idpUrl, spUrl),
      spBaseUrl: spUrl,
      idpCredential: await credentials.idp,
      ...(spRegistration ? { spRegistration } : {}),
    })
    apps.idp = steps.idp.app
    const spCredential = credentials.sp()
    const { openSpDatabase } = await import('../sp/store/database.ts')
    database = openSpDatabase(join(dataDir, 'sp.sqlite'))
    sp = await steps.attach(await spCredential, { ...spSettings, database })
  } catch (error) {
    await shutDown()
    throw error
  }
  apps.sp = sp.app
  const { campaigns, agentSites } = spSummary(sp)
  return running(idpUrl, spUrl, campaigns, agentSites)
}

/**
 * The SP's thread failed while serving: as when one thread serving both fails, the process
 * stops with the error (an exception nothing catches), the IdP stopped and the databases closed
 * first, rather than go on with an IdP whose SP no longer answers.
 */
function failed(error: Error, shutDown: () => Promise<void>, stderr: BatchedLog): void {
  const crash = new Error(`ssoproof serve: the SP's thread failed: ${error.message}`, {
    cause: error,
  })
  void shutDown()
    .catch(() => {})
    .then(() => {
      stderr.flush()
      setImmediate(() => {
        throw crash
      })
    })
}

/** Two threads where there are two cores or more to run them. */
export function defaultThreads(): 1 | 2 {
  return availableParallelism() >= 2 ? 2 : 1
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
    const threads = values.threads === undefined ? undefined : String(values.threads)
    if (threads !== undefined && threads !== '1' && threads !== '2') {
      throw new UsageError(`--threads must be 1 or 2, got "${threads}"`)
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
      ...(threads ? { threads: threads === '1' ? 1 : 2 } : {}),
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
