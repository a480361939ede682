import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
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
export const ssoproofPeer: PeerDefinition<SsoproofHandle> = {
  id: 'ssoproof',
  title: 'ssoproof serve',
  packages: [],
  needs: [],
  portOffset: 0,
  portCount: 2,
  async start(env, ports) {
    const [idpPort, spPort] = ports as [number, number]
    const dataDir = join(env.runDir, 'ssoproof', 'data')
    const process = env.supervisor.spawn({
      name: 'ssoproof',
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
      ],
      cwd: root,
    })
    const idpUrl = `http://127.0.0.1:${idpPort}`
    const spUrl = `http://127.0.0.1:${spPort}`
    const get = (url: string) => env.fetch(new Request(url))
    await poll('ssoproof serve', { process, timeoutMs: 60_000 }, async () => {
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
