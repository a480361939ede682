import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createCredential } from '../../../core/keys/index.ts'
import { parseSpMetadata } from '../../../core/saml/metadata.ts'
import { pageJson } from '../../cells/idp-login.ts'
import type { PeerDefinition } from '../../lab/types.ts'
import { poll } from '../../lab/wait.ts'
import {
  basicNameMappings,
  type IdpSession,
  type LabIdp,
  labUsers,
} from '../reference-sp/lab-idp.ts'

const here = fileURLToPath(new URL('.', import.meta.url))

interface PythonIdp {
  id: string
  title: string
  packages: string[]
  /** The backend module beside host.py. */
  backend: 'pysaml2_backend' | 'lasso_backend'
  portOffset: number
  mappings: LabIdp['mappings']
  emailAttribute: string
}

/**
 * A Python SAML library as a real IdP on loopback: host.py (HTTP, login form, sessions) with the
 * library's backend doing every SAML step, run by Debian's /usr/bin/python3 as a process of its
 * own, its key, config and the metadata of the SPs it trusts under the run folder.
 */
function pythonIdpPeer(options: PythonIdp): PeerDefinition<LabIdp> {
  return {
    id: options.id,
    title: options.title,
    packages: options.packages,
    needs: [],
    portOffset: options.portOffset,
    portCount: 1,
    async start(env, ports) {
      const [port] = ports as [number]
      const baseUrl = `http://127.0.0.1:${port}`
      const dir = join(env.runDir, options.id)
      const spDir = join(dir, 'sps')
      mkdirSync(spDir, { recursive: true })
      const credential = await createCredential({ commonName: `${options.title}, interop lab` })
      const keyFile = join(dir, 'idp.key.pem')
      const certFile = join(dir, 'idp.crt.pem')
      writeFileSync(keyFile, credential.privateKeyPem, { mode: 0o600 })
      writeFileSync(certFile, credential.certificatePem)
      const settingsFile = join(dir, 'sp-settings.json')
      writeFileSync(settingsFile, '{}')
      const configFile = join(dir, 'config.json')
      writeFileSync(
        configFile,
        JSON.stringify({
          port,
          baseUrl,
          keyFile,
          certFile,
          spMetadataDir: spDir,
          spSettingsFile: settingsFile,
          users: labUsers,
        }),
      )
      const process = env.supervisor.spawn({
        name: options.id,
        command: '/usr/bin/python3',
        args: [join(here, 'host.py'), configFile, options.backend],
        cwd: here,
        env: { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
      })
      const metadataUrl = `${baseUrl}/metadata`
      await poll(`${options.title} at ${metadataUrl}`, { process, timeoutMs: 60_000 }, () =>
        env.fetch(new Request(metadataUrl)).then(
          (response) => response.ok,
          () => false,
        ),
      )
      const get = async <T>(browser: Parameters<LabIdp['session']>[0], path: string) =>
        pageJson<T>(await browser.request(`${baseUrl}${path}`))
      const handle: LabIdp = {
        id: options.id,
        title: options.title,
        entityId: metadataUrl,
        metadataUrl,
        mappings: options.mappings,
        emailAttribute: options.emailAttribute,
        async setSps(sps) {
          for (const file of readdirSync(spDir)) rmSync(join(spDir, file))
          const settings: Record<string, unknown> = {}
          for (const [index, sp] of sps.entries()) {
            writeFileSync(join(spDir, `sp-${index}.xml`), sp.metadata)
            settings[parseSpMetadata(sp.metadata).entityId] = sp.settings
          }
          writeFileSync(settingsFile, JSON.stringify(settings))
        },
        startUnsolicited: (browser, sp, relayState) =>
          browser.navigate(
            `${baseUrl}/idp-initiated?sp=${encodeURIComponent(sp)}&RelayState=${encodeURIComponent(relayState)}`,
          ),
        async logIn(browser, page, user) {
          if (!page.document.querySelector('#login-form')) {
            throw new Error(
              `expected the ${options.title} login form at ${page.url} (HTTP ${page.status})`,
            )
          }
          return browser.submit(page, '#login-form', {
            username: user,
            password: labUsers[user].password,
          })
        },
        session: (browser) => get<IdpSession>(browser, '/lab/whoami').then(withSps),
        async logout(browser) {
          const page = await browser.navigate(`${baseUrl}/logout`)
          const list = (id: string) =>
            page.document.querySelectorAll(`#${id} li`).map((item) => item.text.trim())
          return { confirmed: list('confirmed'), failed: list('failed') }
        },
      }
      return { handle, logFiles: [process.logFile] }
    },
  }
}

function withSps(session: IdpSession): IdpSession {
  return { ...session, sps: session.sps ?? {} }
}

/** pysaml2 7.0 (Debian python3-pysaml2): it names attributes by their urn:oid URIs. */
export const pysaml2IdpPeer = pythonIdpPeer({
  id: 'pysaml2-idp',
  title: 'pysaml2 IdP',
  packages: ['python3-pysaml2', 'xmlsec1'],
  backend: 'pysaml2_backend',
  portOffset: 60,
  mappings: [
    { attribute: 'urn:oid:0.9.2342.19200300.100.1.1', field: 'id', required: false },
    { attribute: 'urn:oid:0.9.2342.19200300.100.1.3', field: 'email', required: true },
    // By its FriendlyName on purpose: the diagnostics must point at the urn:oid name.
    { attribute: 'displayName', field: 'name', required: false },
  ],
  emailAttribute: 'urn:oid:0.9.2342.19200300.100.1.3',
})

/** Lasso 2.8 (Debian python3-lasso): basic attribute names. */
export const lassoIdpPeer = pythonIdpPeer({
  id: 'lasso-idp',
  title: 'Lasso IdP',
  packages: ['python3-lasso'],
  backend: 'lasso_backend',
  portOffset: 61,
  mappings: basicNameMappings,
  emailAttribute: 'mail',
})
