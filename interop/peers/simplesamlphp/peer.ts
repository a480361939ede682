import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createCredential } from '../../../core/keys/index.ts'
import type { PeerDefinition } from '../../lab/types.ts'
import {
  phpModule,
  readTemplate,
  renderTemplate,
  startApache,
  workerUser,
} from '../apache/apache.ts'
import { ssoproofPeer } from '../ssoproof/peer.ts'

/** The SP authsources of authsources.php.in. */
export type SimpleSamlSp = 'post' | 'signed' | 'artifact' | 'encrypted'

export interface SimpleSamlHandle {
  baseUrl: string
  /** An SP authsource's entity ID (its metadata URL). */
  spEntityId(sp: SimpleSamlSp): string
  /** The lab page (www/sp.php) for an authsource and action. */
  page(sp: SimpleSamlSp, action: 'login' | 'whoami' | 'logout'): string
  /** SimpleSAMLphp as an IdP: its entity ID (= metadata URL). */
  idpEntityId: string
  /** Makes the IdP serve these SPs (metadata XML, one EntityDescriptor each); replaces the list. */
  setRemoteSps(entityDescriptors: string[]): void
  /** Its state: `metadata/` (flat-file metadata, read at every request) and `log/`. */
  stateDir: string
}

/** How ssoproof's IdP registers each authsource, beside its metadata. */
const registrations: Record<SimpleSamlSp, Record<string, unknown>> = {
  post: {},
  signed: {},
  artifact: {},
  encrypted: { encryptAssertion: true },
}

const labWww = fileURLToPath(new URL('www', import.meta.url))

/**
 * SimpleSAMLphp 1.19 under an Apache+PHP instance of its own: four SP authsources that sign in
 * at ssoproof's IdP, and a hosted IdP (for cells where a real IdP signs in at ssoproof's SP).
 */
export const simpleSamlPeer: PeerDefinition<SimpleSamlHandle> = {
  id: 'simplesamlphp',
  title: 'SimpleSAMLphp',
  // php-sqlite3: the IdP keeps the Responses it sends by HTTP-Artifact in its SQL store.
  packages: [
    'simplesamlphp',
    'apache2',
    'libapache2-mod-php',
    'php-xml',
    'php-soap',
    'php-sqlite3',
  ],
  needs: [ssoproofPeer],
  portOffset: 10,
  portCount: 1,
  async start(env, ports) {
    const [port] = ports as [number]
    const ssoproof = env.peer(ssoproofPeer)
    const baseUrl = `http://127.0.0.1:${port}`
    const root = join(env.runDir, 'simplesamlphp')
    const state = join(root, 'state')
    const configDir = join(root, 'config')
    const user = workerUser()
    for (const dir of ['cert', 'log', 'data', 'tmp', 'metadata', 'sessions']) {
      mkdirSync(join(state, dir), { recursive: true })
      user.chown(join(state, dir))
    }
    mkdirSync(configDir, { recursive: true })
    const values = {
      BASE_URL: baseUrl,
      PORT: String(port),
      STATE: state,
      SECRET_SALT: randomBytes(24).toString('hex'),
      ADMIN_PASSWORD: randomBytes(12).toString('hex'),
      IDP_ENTITY_ID: ssoproof.idpEntityId,
    }
    const render = (template: string) =>
      renderTemplate(readTemplate(import.meta.url, template), values)
    writeFileSync(join(configDir, 'config.php'), render('config.php.in'))
    writeFileSync(join(configDir, 'authsources.php'), render('authsources.php.in'))
    writeFileSync(
      join(state, 'metadata', 'saml20-idp-hosted.php'),
      render('saml20-idp-hosted.php.in'),
    )
    const idpMetadata = await env.fetch(new Request(ssoproof.idpMetadataUrl))
    writeFileSync(join(state, 'metadata', 'ssoproof-idp.xml'), await idpMetadata.text())
    const setRemoteSps = (entityDescriptors: string[]) =>
      writeFileSync(
        join(state, 'metadata', 'remote-sps.xml'),
        `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${entityDescriptors.join('')}</md:EntitiesDescriptor>`,
      )
    setRemoteSps([])
    for (const name of ['sp', 'idp']) {
      const credential = await createCredential({
        commonName: `SimpleSAMLphp ${name}, interop lab`,
      })
      writeFileSync(join(state, 'cert', `${name}.crt.pem`), credential.certificatePem)
      const keyFile = join(state, 'cert', `${name}.key.pem`)
      writeFileSync(keyFile, credential.privateKeyPem, { mode: 0o600 })
      user.chown(keyFile)
    }
    const apache = await startApache(env, {
      name: 'simplesamlphp',
      port,
      readyUrl: `${baseUrl}/simplesaml/module.php/saml/sp/metadata.php/post`,
      body: [
        phpModule(),
        `SetEnv SIMPLESAMLPHP_CONFIG_DIR ${configDir}`,
        // The cells rewrite flat-file metadata between flows, sometimes within a second: OPcache
        // compares modification times in seconds and would keep serving the file before.
        'php_admin_flag opcache.enable Off',
        'Alias /simplesaml /usr/share/simplesamlphp/www',
        '<Directory /usr/share/simplesamlphp/www>',
        '    Require all granted',
        '    DirectoryIndex index.php',
        '</Directory>',
        `Alias /lab ${labWww}`,
        `<Directory ${labWww}>`,
        '    Require all granted',
        '</Directory>',
      ].join('\n'),
    })
    const spEntityId = (sp: SimpleSamlSp) =>
      `${baseUrl}/simplesaml/module.php/saml/sp/metadata.php/${sp}`
    for (const [sp, overrides] of Object.entries(registrations)) {
      await ssoproof.registerSp(spEntityId(sp as SimpleSamlSp), overrides)
    }
    const handle: SimpleSamlHandle = {
      baseUrl,
      spEntityId,
      page: (sp, action) => `${baseUrl}/lab/sp.php?as=${sp}&action=${action}`,
      idpEntityId: `${baseUrl}/simplesaml/saml2/idp/metadata.php`,
      setRemoteSps,
      stateDir: state,
    }
    return {
      handle,
      logFiles: [apache.errorLog, apache.accessLog, join(state, 'log', 'simplesamlphp.log')],
    }
  },
}
