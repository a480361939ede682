import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createCredential } from '../../../core/keys/index.ts'
import type { PeerDefinition } from '../../lab/types.ts'
import { poll } from '../../lab/wait.ts'
import { readTemplate, renderTemplate, startApache, workerUser } from '../apache/apache.ts'
import { ssoproofPeer, ssoproofTlsPeer } from '../ssoproof/peer.ts'

export interface ShibbolethHandle {
  baseUrl: string
  entityId: string
  /** A page behind mod_shib (requireSession): Apache's environment, attributes included. */
  protectedPage: string
  /** Starts a sign-in at one IdP of its metadata (the SessionInitiator with `entityID`). */
  loginAt(idpEntityId: string, target: string): string
  /** Shibboleth's own logout handler (SAML2 single logout, then its Global Logout page). */
  logoutUrl: string
  metadataUrl: string
}

const labWww = fileURLToPath(new URL('www', import.meta.url))

/**
 * Shibboleth SP 3.4: shibd (its own config, socket, pid file and log) and mod_shib in an Apache
 * instance of its own. Stock attribute map, attribute filter and protocols; the stock security
 * policy with schema validation switched on.
 */
export const shibbolethPeer: PeerDefinition<ShibbolethHandle> = {
  id: 'shibboleth',
  title: 'Shibboleth SP',
  packages: ['libapache2-mod-shib', 'shibboleth-sp-utils', 'apache2'],
  needs: [ssoproofPeer, ssoproofTlsPeer],
  portOffset: 20,
  portCount: 1,
  async start(env, ports) {
    const [port] = ports as [number]
    const ssoproof = env.peer(ssoproofPeer)
    const baseUrl = `http://127.0.0.1:${port}`
    const dir = join(env.runDir, 'shibboleth')
    const logDir = join(dir, 'log')
    mkdirSync(logDir, { recursive: true })
    const user = workerUser()
    user.chown(logDir)
    const values = {
      DIR: dir,
      BASE_URL: baseUrl,
      IDP_ENTITY_ID: ssoproof.idpEntityId,
      LOG_DIR: join(env.runDir, 'logs'),
      NATIVE_LOG: join(logDir, 'native.log'),
    }
    for (const name of ['shibboleth2.xml', 'shibd.logger', 'native.logger']) {
      writeFileSync(
        join(dir, name),
        renderTemplate(readTemplate(import.meta.url, `${name}.in`), values),
      )
    }
    writeFileSync(join(dir, 'security-policy.xml'), policyWithSchemaValidation())
    const ssoproofTls = env.peer(ssoproofTlsPeer)
    for (const [file, idp] of [
      ['idp-metadata.xml', ssoproof],
      ['idp-tls-metadata.xml', ssoproofTls],
    ] as const) {
      const idpMetadata = await env.fetch(new Request(idp.idpMetadataUrl))
      writeFileSync(join(dir, file), await idpMetadata.text())
    }
    for (const use of ['signing', 'encrypt']) {
      const credential = await createCredential({ commonName: `Shibboleth SP ${use}, interop lab` })
      writeFileSync(join(dir, `sp-${use}-cert.pem`), credential.certificatePem)
      const keyFile = join(dir, `sp-${use}-key.pem`)
      writeFileSync(keyFile, credential.privateKeyPem, { mode: 0o600 })
      user.chown(keyFile)
    }
    const shibd = env.supervisor.spawn({
      name: 'shibboleth-shibd',
      command: '/usr/sbin/shibd',
      args: ['-F', '-f', '-c', join(dir, 'shibboleth2.xml'), '-p', join(dir, 'shibd.pid')],
    })
    await poll('shibd to listen', { process: shibd, timeoutMs: 60_000 }, async () =>
      existsSync(join(dir, 'shibd.sock')),
    )
    const apache = await startApache(env, {
      name: 'shibboleth',
      port,
      readyUrl: `${baseUrl}/Shibboleth.sso/Metadata`,
      body: [
        'LoadModule authn_core_module /usr/lib/apache2/modules/mod_authn_core.so',
        'LoadModule include_module /usr/lib/apache2/modules/mod_include.so',
        'LoadModule mod_shib /usr/lib/apache2/modules/mod_shib.so',
        `ShibConfig ${join(dir, 'shibboleth2.xml')}`,
        'ShibCompatValidUser Off',
        '<Location /Shibboleth.sso>',
        '    SetHandler shib',
        '</Location>',
        `Alias /lab ${labWww}`,
        `<Directory ${labWww}>`,
        '    Require all granted',
        '    Options +Includes',
        '    AddType text/plain .shtml',
        '    AddOutputFilter INCLUDES .shtml',
        '</Directory>',
        '<Location /lab/secure>',
        '    AuthType shibboleth',
        '    ShibRequestSetting requireSession 1',
        '    Require shib-session',
        '</Location>',
      ].join('\n'),
    })
    const metadataUrl = `${baseUrl}/Shibboleth.sso/Metadata`
    await ssoproof.registerSp(metadataUrl)
    await ssoproofTls.registerSp(metadataUrl)
    const handle: ShibbolethHandle = {
      baseUrl,
      entityId: `${baseUrl}/shibboleth`,
      protectedPage: `${baseUrl}/lab/secure/whoami.shtml`,
      loginAt: (idpEntityId, target) =>
        `${baseUrl}/Shibboleth.sso/Login?${new URLSearchParams({ entityID: idpEntityId, target })}`,
      logoutUrl: `${baseUrl}/Shibboleth.sso/Logout`,
      metadataUrl,
    }
    return {
      handle,
      logFiles: [
        join(env.runDir, 'logs', 'shibboleth-shibd.log'),
        shibd.logFile,
        join(logDir, 'native.log'),
        apache.errorLog,
        apache.accessLog,
      ],
    }
  },
}

/** Debian's stock security-policy.xml, with its default policy validating incoming messages against the schemas. */
function policyWithSchemaValidation(): string {
  const stock = readFileSync('/etc/shibboleth/security-policy.xml', 'utf8')
  const switched = stock.replace(
    '<Policy id="default" validate="false">',
    '<Policy id="default" validate="true">',
  )
  if (switched === stock)
    throw new Error(
      'the stock security-policy.xml has no default policy to switch schema validation on',
    )
  return switched
}
