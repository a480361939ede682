import { once } from 'node:events'
import type { Server } from 'node:http'
import { join } from 'node:path'
import { type MessagePort, parentPort, workerData } from 'node:worker_threads'
import type { PairIdpSide } from '../harness/pair.ts'
import type { Sp } from '../sp/create-sp.tsx'
import { spSignInStep } from '../sp/sign-in-steps.ts'
import type { SpDatabase } from '../sp/store/database.ts'
import { type AppFetch, closeAll, createAppServer, starting } from './serve-listen.ts'
import {
  type FromSpThread,
  type IdpWiring,
  type SpAttach,
  type SpRegistrationRecord,
  type SpThreadData,
  spSummary,
  type ToSpThread,
  toThreadError,
} from './serve-sp-thread-messages.ts'

// The reference SP of `serve` on a thread of its own (serve-sp-thread.ts starts it): it listens,
// is made and wired once the IdP's thread sends what it needs, and answers once the IdP has
// registered it. Its log lines go to the IdP's thread in batches (see logBatchMs).

if (!parentPort) throw new Error('serve-sp-thread-worker runs in a worker thread')
const port: MessagePort = parentPort
const data = workerData as SpThreadData

/**
 * How long a log line may wait for others. Each message wakes the IdP's thread; batched per turn
 * of this loop that was ≈ 2 wake-ups per sign-in under load (issue 22), now at most 20 a second.
 * Anything else this thread says goes after the lines logged before it.
 */
const logBatchMs = 50
let waiting: string[] = []
const flushLog = () => {
  if (waiting.length === 0) return
  port.postMessage({ type: 'log', lines: waiting } satisfies FromSpThread)
  waiting = []
}
const post = (message: FromSpThread) => {
  flushLog()
  port.postMessage(message)
}
const log = (line: string) => {
  if (waiting.push(line) === 1) setTimeout(flushLog, logBatchMs).unref()
}

let app: Sp['app'] | undefined
let live = false
let database: SpDatabase | undefined
let server: Server | undefined
let attaching: Promise<unknown> | undefined
let closing: Promise<void> | undefined

const fetchApp: AppFetch = (request, env) =>
  live && app ? app.fetch(request, env as never) : starting()

/** Listens on the SP's port; says which port, or why not. */
async function listen(): Promise<void> {
  try {
    const [{ serve }, https] = await Promise.all([
      import('@hono/node-server'),
      data.tls ? import('node:https') : undefined,
    ])
    server = createAppServer({
      serve,
      https,
      fetch: fetchApp,
      steps: spSignInStep,
      port: data.port,
      host: data.host,
      identity: data.tls,
      requestCert: false,
    })
    await once(server, 'listening')
    const address = server.address()
    post({
      type: 'listening',
      port: typeof address === 'object' && address ? address.port : data.port,
    })
  } catch (error) {
    post({ type: 'failed', error: toThreadError(error) })
  }
}

/** Stops listening and closes the database once whatever was under way is done. */
async function close(): Promise<void> {
  await listening
  await attaching?.catch(() => {})
  if (server) await closeAll([server])
  if (database?.open) database.close()
  flushLog()
  post({ type: 'closed' })
  port.close()
}

port.on('message', (message: ToSpThread) => {
  if (message.type === 'close') {
    closing ??= close()
    return
  }
  if (closing) return
  if (message.type === 'attach') {
    attaching = attach(message.attach).then(
      (attached) => post(attached),
      (error: unknown) => post({ type: 'failed', error: toThreadError(error) }),
    )
  } else if (message.type === 'go') {
    live = true
    post({ type: 'live' })
  }
})

const listening = listen()

/** Opens the SP's database, makes the SP and wires it to the IdP (harness/pair.ts `attachSp`). */
async function attach(input: SpAttach): Promise<FromSpThread> {
  const [{ attachSp }, { loadCredential }, { openSpDatabase }, { serveCheckpointsElsewhere }] =
    await Promise.all([
      import('../harness/pair.ts'),
      import('../core/keys/index.ts'),
      import('../sp/store/database.ts'),
      import('./serve-checkpoints.ts'),
    ])
  const credential = loadCredential(input.credential)
  database = openSpDatabase(join(input.dataDir, 'sp.sqlite'))
  // The IdP's thread starts a thread that checkpoints this file (serve-checkpoints.ts).
  serveCheckpointsElsewhere(database)
  const registrations: SpRegistrationRecord[] = []
  const sp = attachSp(recordingIdp(input.idp, registrations), {
    spBaseUrl: input.spBaseUrl,
    spCredential: credential,
    log,
    ...(input.adminToken !== undefined ? { adminToken: input.adminToken } : {}),
    ...(input.allowedFetchHosts ? { allowedFetchHosts: input.allowedFetchHosts } : {}),
    ...(input.spRegistration ? { spRegistration: input.spRegistration } : {}),
    sp: { ...input.sp, database },
  })
  app = sp.app
  return {
    type: 'attached',
    registrations,
    ...spSummary(sp),
  }
}

/** The IdP as the wiring sees it: its data, and registrations kept for the IdP's thread. */
function recordingIdp(wiring: IdpWiring, registrations: SpRegistrationRecord[]): PairIdpSide {
  const registry = (name: SpRegistrationRecord['registry']) => ({
    register: (input: unknown) => {
      registrations.push({ registry: name, input })
    },
  })
  return {
    metadata: () => wiring.metadata,
    config: {
      urls: wiring.urls,
      issuer: wiring.issuer,
      entityId: wiring.entityId,
      credential: { certificatePem: wiring.certificatePem },
    },
    serviceProviders: registry('serviceProviders'),
    jwtServiceProviders: registry('jwtServiceProviders'),
    oidcClients: registry('oidcClients'),
  }
}
