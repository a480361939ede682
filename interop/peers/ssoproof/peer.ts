import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadOrCreateCredential } from '../../../core/keys/index.ts'
import type { PeerDefinition } from '../../lab/types.ts'
import { poll } from '../../lab/wait.ts'

const root = fileURLToPath(new URL('../../..', import.meta.url))

export interface SsoproofHandle {
  /** The mock IdP (`ssoproof serve`), its entity ID and metadata URL. */
  idpUrl: string
  idpEntityId: string
  idpMetadataUrl: string
  /** The IdP's signing certificate (PEM), as its metadata publishes it. */
  idpCertificatePem: string
  /** Its data folder (`serve --data`): the IdP key a second IdP in the lab signs with (`ssoproof attack`). */
  dataDir: string
  /** The reference SP started beside it. */
  spUrl: string
  /** JSON to the IdP's admin API; throws on a non-2xx answer, with its body. */
  admin(path: string, body?: unknown): Promise<unknown>
  /** Registers (or replaces) an SP from its metadata URL, with overrides beside it. */
  registerSp(metadataUrl: string, overrides?: Record<string, unknown>): Promise<void>
  /** What an SP sent the IdP (the IdP's journal), oldest first. */
  journal(sp: string, message: string): Promise<Array<Record<string, unknown>>>
}

/** ssoproof itself: `ssoproof serve` (the mock IdP and the reference SP) as a process of its own. */
export const ssoproofPeer = ssoproofServePeer({ id: 'ssoproof', portOffset: 0, tls: false })

/**
 * `ssoproof serve --tls`, a second instance beside the first: HTTPS with each server's own
 * signing certificate (generated here first, so the lab trusts it before the first request), the
 * IdP asking for TLS client certificates: the back channel Shibboleth's defaults want.
 */
export const ssoproofTlsPeer = ssoproofServePeer({ id: 'ssoproof-tls', portOffset: 4, tls: true })

function ssoproofServePeer(options: {
  id: string
  portOffset: number
  tls: boolean
}): PeerDefinition<SsoproofHandle> {
  return {
    id: options.id,
    title: options.tls ? 'ssoproof serve --tls' : 'ssoproof serve',
    packages: [],
    needs: [],
    portOffset: options.portOffset,
    portCount: 2,
    async start(env, ports) {
      const [idpPort, spPort] = ports as [number, number]
      const dataDir = join(env.runDir, options.id, 'data')
      if (options.tls) {
        for (const [name, commonName] of [
          ['idp-signing', 'ssoproof mock IdP'],
          ['sp-signing', 'ssoproof reference SP'],
        ] as const) {
          const credential = await loadOrCreateCredential(dataDir, name, {
            commonName,
            subjectAltNames: ['127.0.0.1'],
          })
          env.trust(credential.certificatePem)
        }
      }
      const process = env.supervisor.spawn({
        name: options.id,
        command: globalThis.process.execPath,
        args: [
          join(root, 'bin', 'ssoproof.js'),
          'serve',
          '--idp-port',
          String(idpPort),
          '--sp-port',
          String(spPort),
          '--host',
          '127.0.0.1',
          '--data',
          dataDir,
          '--users',
          join(root, 'interop', 'peers', 'ssoproof', 'users.yaml'),
          ...(options.tls ? ['--tls'] : []),
        ],
        cwd: root,
      })
      const scheme = options.tls ? 'https' : 'http'
      const idpUrl = `${scheme}://127.0.0.1:${idpPort}`
      const spUrl = `${scheme}://127.0.0.1:${spPort}`
      const get = (url: string) => env.fetch(new Request(url))
      await poll(`${options.id}: ssoproof serve`, { process, timeoutMs: 60_000 }, async () => {
        const answers = await Promise.all(
          [`${idpUrl}/saml/metadata`, `${spUrl}/saml/metadata`].map((url) =>
            get(url).then(
              (response) => response.ok,
              () => false,
            ),
          ),
        )
        return answers.every(Boolean)
      })
      const admin = async (path: string, body?: unknown) => {
        const response = await env.fetch(
          new Request(`${idpUrl}/admin${path}`, {
            method: body === undefined ? 'GET' : 'POST',
            headers: { 'content-type': 'application/json' },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          }),
        )
        const text = await response.text()
        if (!response.ok) throw new Error(`IdP admin ${path} answered ${response.status}: ${text}`)
        return text ? JSON.parse(text) : undefined
      }
      const handle: SsoproofHandle = {
        idpUrl,
        idpEntityId: `${idpUrl}/saml/metadata`,
        idpMetadataUrl: `${idpUrl}/saml/metadata`,
        idpCertificatePem: readFileSync(join(dataDir, 'idp-signing.crt.pem'), 'utf8'),
        dataDir,
        spUrl,
        admin,
        registerSp: async (metadataUrl, overrides = {}) => {
          await admin('/service-providers', { metadataUrl, ...overrides })
        },
        journal: async (sp, message) => {
          const query = new URLSearchParams({ sp, message })
          const answer = (await admin(`/journal?${query}`)) as {
            journal: Array<Record<string, unknown>>
          }
          return answer.journal
        },
      }
      return { handle, logFiles: [process.logFile] }
    },
  }
}
