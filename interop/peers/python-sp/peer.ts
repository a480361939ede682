import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createCredential } from '../../../core/keys/index.ts'
import type { PeerDefinition } from '../../lab/types.ts'
import { poll } from '../../lab/wait.ts'
import { ssoproofPeer } from '../ssoproof/peer.ts'

const here = fileURLToPath(new URL('.', import.meta.url))

export interface PythonSpHandle {
  baseUrl: string
  entityId: string
  metadataUrl: string
  /** The library's metadata as it publishes it when it wants encrypted assertions. */
  encryptedMetadataUrl: string
  /** Starts an SP-initiated sign-in asking for a NameID format and a response binding. */
  loginUrl(options?: { format?: string; binding?: 'post' | 'artifact' }): string
  /** JSON of the SP's own session for the browser's cookie: signedIn, nameId, attributes… */
  whoamiUrl: string
  logoutUrl: string
  /** JSON: the last error the library refused a message with. */
  lastErrorUrl: string
  /** (Re-)registers it at ssoproof's IdP from one of its metadata URLs, with overrides. */
  register(metadataUrl: string, overrides?: Record<string, unknown>): Promise<void>
}

interface PythonSp {
  id: string
  title: string
  packages: string[]
  /** The backend module beside host.py. */
  backend: 'pysaml2_sp' | 'onelogin_sp' | 'lasso_sp'
  portOffset: number
  /** Strict: every signature wanted, no unsolicited responses; lax: the library's defaults. */
  strict: boolean
  /** pysaml2's want_assertions_or_response_signed (default true); false: no signature wanted. */
  wantSomeSignature?: boolean
  /** Registration settings at ssoproof's IdP beside the SP's metadata. */
  registration?: Record<string, unknown>
}

/**
 * A Python SAML library as a long-running SP on loopback: host.py (wsgiref; sessions, the page
 * that shows who is signed in, JSON for the cells) with the library's backend doing every SAML
 * step, run by Debian's /usr/bin/python3 as a process of its own, its keys and config under the
 * run folder, registered at ssoproof's IdP from its own metadata.
 */
function pythonSpPeer(options: PythonSp): PeerDefinition<PythonSpHandle> {
  return {
    id: options.id,
    title: options.title,
    packages: options.packages,
    needs: [ssoproofPeer],
    portOffset: options.portOffset,
    portCount: 1,
    async start(env, ports) {
      const [port] = ports as [number]
      const ssoproof = env.peer(ssoproofPeer)
      const baseUrl = `http://127.0.0.1:${port}`
      const dir = join(env.runDir, options.id)
      mkdirSync(dir, { recursive: true })
      const files: Record<string, string> = {}
      for (const use of ['signing', 'encryption']) {
        const credential = await createCredential({ commonName: `${options.title} ${use}` })
        files[`${use}Key`] = join(dir, `${use}.key.pem`)
        files[`${use}Cert`] = join(dir, `${use}.crt.pem`)
        writeFileSync(files[`${use}Key`] as string, credential.privateKeyPem, { mode: 0o600 })
        writeFileSync(files[`${use}Cert`] as string, credential.certificatePem)
      }
      const idpCertificateFile = join(dir, 'idp.crt.pem')
      writeFileSync(idpCertificateFile, ssoproof.idpCertificatePem)
      const idpMetadataFile = join(dir, 'idp-metadata.xml')
      const metadata = await env.fetch(new Request(ssoproof.idpMetadataUrl))
      writeFileSync(idpMetadataFile, await metadata.text())
      const configFile = join(dir, 'config.json')
      const entityId = `${baseUrl}/metadata`
      writeFileSync(
        configFile,
        JSON.stringify(
          {
            here,
            backend: options.backend,
            port,
            base_url: baseUrl,
            entity_id: entityId,
            strict: options.strict,
            want_some_signature: options.wantSomeSignature ?? true,
            idp_entity_id: ssoproof.idpEntityId,
            idp_metadata_file: idpMetadataFile,
            idp_certificate_file: idpCertificateFile,
            key_file: files.signingKey,
            cert_file: files.signingCert,
            enc_key_file: files.encryptionKey,
            enc_cert_file: files.encryptionCert,
          },
          null,
          1,
        ),
      )
      const process = env.supervisor.spawn({
        name: options.id,
        command: '/usr/bin/python3',
        args: ['-u', join(here, 'host.py'), configFile],
        cwd: dir,
      })
      const metadataUrl = `${baseUrl}/metadata`
      await poll(options.title, { process, timeoutMs: 60_000 }, async () =>
        env.fetch(new Request(metadataUrl)).then(
          (response) => response.ok,
          () => false,
        ),
      )
      const register = (url: string, overrides: Record<string, unknown> = {}) =>
        ssoproof.registerSp(url, { ...options.registration, ...overrides })
      await register(metadataUrl)
      const handle: PythonSpHandle = {
        baseUrl,
        entityId,
        metadataUrl,
        encryptedMetadataUrl: `${metadataUrl}?want=encrypted`,
        loginUrl: ({ format, binding } = {}) =>
          `${baseUrl}/login?${new URLSearchParams({ ...(format ? { format } : {}), binding: binding ?? 'post' })}`,
        whoamiUrl: `${baseUrl}/whoami`,
        logoutUrl: `${baseUrl}/logout`,
        lastErrorUrl: `${baseUrl}/last-error`,
        register,
      }
      return { handle, logFiles: [process.logFile] }
    },
  }
}

export const pysaml2Peer = pythonSpPeer({
  id: 'pysaml2',
  title: 'pysaml2 SP, strict',
  packages: ['python3-pysaml2', 'xmlsec1'],
  backend: 'pysaml2_sp',
  portOffset: 50,
  strict: true,
})

export const python3SamlPeer = pythonSpPeer({
  id: 'python3-saml',
  title: 'python3-saml SP, strict',
  packages: ['python3-onelogin-saml2'],
  backend: 'onelogin_sp',
  portOffset: 52,
  strict: true,
  // Its metadata names one NameIDFormat (its settings' NameIDFormat, per request here), so the
  // formats the cells ask for are allowed at registration, as an administrator would.
  registration: { nameIdFormats: ['unspecified', 'persistent', 'transient', 'emailAddress'] },
})

export const lassoPeer = pythonSpPeer({
  id: 'lasso',
  title: 'Lasso SP',
  packages: ['python3-lasso'],
  backend: 'lasso_sp',
  portOffset: 53,
  strict: true,
})

export const pysaml2LaxPeer = pythonSpPeer({
  id: 'pysaml2-lax',
  title: 'pysaml2 SP, lax',
  packages: ['python3-pysaml2', 'xmlsec1'],
  backend: 'pysaml2_sp',
  portOffset: 51,
  strict: false,
})

/**
 * pysaml2 with no signature wanted at all: want_response_signed, want_assertions_signed and
 * want_assertions_or_response_signed all false, unsolicited responses allowed (the combination
 * pysaml2 7.0 warns about as insecure in client_base.py). Issue 23's "lax" pysaml2 that signed in
 * mallory through XSW4: entity.py verifies the signatures present only to learn whether the
 * Response or its Assertion is signed; XSW4's Assertion carrying mallory has none of its own (the
 * signed one sits inside it), so it counts as unsigned, which nothing here refuses.
 */
export const pysaml2UnsignedPeer = pythonSpPeer({
  id: 'pysaml2-unsigned',
  title: 'pysaml2 SP, no signature wanted',
  packages: ['python3-pysaml2', 'xmlsec1'],
  backend: 'pysaml2_sp',
  portOffset: 54,
  strict: false,
  wantSomeSignature: false,
})
