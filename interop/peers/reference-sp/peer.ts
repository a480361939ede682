import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stringify } from 'yaml'
import type { LabEnvironment, PeerDefinition } from '../../lab/types.ts'
import { poll } from '../../lab/wait.ts'
import { defaultSpSettings, type IdpSpSettings, type LabIdp } from './lab-idp.ts'

const root = fileURLToPath(new URL('../../..', import.meta.url))

export interface ReferenceSpHandle {
  idp: LabIdp
  /**
   * `ssoproof sp --saml-metadata <the IdP> --check-all --allow-unsolicited`: the reference SP
   * with diagnostics.
   */
  spUrl: string
  /**
   * `ssoproof serve --config`: the visitor campaign whose idpMetadata is the IdP, its base URL
   * (unsolicited Responses off, as by default).
   */
  campaignUrl: string
  /** How the IdP answers the reference SP and the campaign from now on. */
  answer(settings: Partial<IdpSpSettings>): Promise<void>
}

/**
 * ssoproof's reference SP against one real IdP, as a customer would run it: `ssoproof sp
 * --saml-metadata <its metadata URL> --check-all --allow-unsolicited --mapping <its attribute
 * names>`, and `ssoproof serve --config` with a visitor campaign whose `idpMetadata` is that IdP,
 * each a process of its own. Both SPs' metadata is then handed to the IdP, so the IdP trusts them as a customer's
 * would after registering them.
 */
export function referenceSpPeer<H>(options: {
  idpPeer: PeerDefinition<H>
  idp(handle: H): LabIdp
  portOffset: number
}): PeerDefinition<ReferenceSpHandle> {
  const id = `reference-sp-${options.idpPeer.id}`
  return {
    id,
    title: `ssoproof sp and serve --config at ${options.idpPeer.title}`,
    packages: [],
    needs: [options.idpPeer],
    portOffset: options.portOffset,
    portCount: 3,
    async start(env, ports) {
      const [spPort, serveIdpPort, serveSpPort] = ports as [number, number, number]
      const idp = options.idp(env.peer(options.idpPeer))
      const dir = join(env.runDir, id)
      mkdirSync(dir, { recursive: true })
      const mapping = join(dir, 'mapping.yaml')
      writeFileSync(mapping, stringify({ campaigns: [{ mappings: idp.mappings }] }))
      const campaignId = idp.id
      const campaigns = join(dir, 'campaigns.yaml')
      writeFileSync(
        campaigns,
        stringify({
          campaigns: [
            { id: 'support' },
            { id: campaignId, idpMetadata: idp.metadataUrl, mappings: idp.mappings },
          ],
        }),
      )
      const ssoproof = (name: string, args: string[]) =>
        env.supervisor.spawn({
          name,
          command: process.execPath,
          args: [join(root, 'bin', 'ssoproof.js'), ...args],
          cwd: root,
        })
      const sp = ssoproof(`${id}-sp`, [
        'sp',
        '--saml-metadata',
        idp.metadataUrl,
        '--check-all',
        // IdP-initiated sign-in is what a customer would test with it; SP-initiated sign-ins
        // still answer their own requests (InResponseTo is checked as ever).
        '--allow-unsolicited',
        '--mapping',
        mapping,
        '--port',
        String(spPort),
        '--host',
        '127.0.0.1',
        '--data',
        join(dir, 'sp-data'),
      ])
      const serve = ssoproof(`${id}-serve`, [
        'serve',
        '--config',
        campaigns,
        '--idp-port',
        String(serveIdpPort),
        '--sp-port',
        String(serveSpPort),
        '--host',
        '127.0.0.1',
        '--data',
        join(dir, 'serve-data'),
      ])
      const spUrl = `http://127.0.0.1:${spPort}`
      const campaignUrl = `http://127.0.0.1:${serveSpPort}/c/${campaignId}`
      const [spMetadata, campaignMetadata] = await Promise.all([
        metadataOf(env, sp, `${spUrl}/saml/metadata`),
        metadataOf(env, serve, `${campaignUrl}/saml/metadata`),
      ])
      const answer = async (settings: Partial<IdpSpSettings>) => {
        const all = { ...defaultSpSettings, ...settings }
        await idp.setSps([
          { metadata: spMetadata, settings: all },
          { metadata: campaignMetadata, settings: all },
        ])
      }
      await answer({})
      return {
        handle: { idp, spUrl, campaignUrl, answer },
        logFiles: [sp.logFile, serve.logFile],
      }
    },
  }
}

/** Waits until an SP answers its metadata URL; its metadata. */
async function metadataOf(
  env: LabEnvironment,
  process: Parameters<typeof poll>[1]['process'],
  url: string,
): Promise<string> {
  let text = ''
  await poll(url, { ...(process ? { process } : {}), timeoutMs: 90_000 }, async () => {
    const response = await env.fetch(new Request(url)).catch(() => undefined)
    if (!response?.ok) return false
    text = await response.text()
    return true
  })
  return text
}
