import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { get } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isSsoError } from '../core/errors/index.ts'
import { parseSpMetadata } from '../core/saml/metadata.ts'
import { testCredentials } from '../tests/fixtures/in-process.ts'
import { type RunningServe, startServe } from './serve.ts'
import { hostMismatch } from './serve-tls.ts'

let dataDir: string
let serve: RunningServe

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ssoproof-serve-tls-'))
  serve = await startServe({
    idpPort: 0,
    spPort: 0,
    host: '127.0.0.1',
    dataDir,
    tls: {},
    log: () => {},
  })
})

afterAll(async () => {
  await serve?.close()
  await rm(dataDir, { recursive: true, force: true })
})

/** GET over HTTPS trusting only `ca`, host names checked: the body and the server certificate. */
function httpsGet(url: string, ca: string): Promise<{ body: string; certificate: Buffer }> {
  return new Promise((done, fail) => {
    get(url, { ca }, (response) => {
      const certificate = (response.socket as TLSSocket).getPeerCertificate().raw
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        body += chunk
      })
      response.on('end', () => done({ body, certificate }))
    }).on('error', fail)
  })
}

describe('ssoproof serve --tls', () => {
  it('serves both servers over HTTPS, the IdP with the certificate its metadata publishes, named for the host', async () => {
    expect(serve.idpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(serve.spUrl).toMatch(/^https:\/\//)
    const idpCertificate = await readFile(join(dataDir, 'idp-signing.crt.pem'), 'utf8')
    // Trusting that certificate alone, with the host name checked against its SubjectAltName.
    const { body, certificate } = await httpsGet(`${serve.idpUrl}/saml/metadata`, idpCertificate)
    expect(body).toContain(`entityID="${serve.idpUrl}/saml/metadata"`)
    expect(body).toContain(certificate.toString('base64'))
    expect(body).toContain(`Location="${serve.idpUrl}/saml/artifact"`)
    const spCertificate = await readFile(join(dataDir, 'sp-signing.crt.pem'), 'utf8')
    const sp = await httpsGet(`${serve.spUrl}/saml/metadata`, spCertificate)
    expect(parseSpMetadata(sp.body).entityId.startsWith(serve.spUrl)).toBe(true)
  })

  it('warns when the certificate does not name the host', async () => {
    const pem = await readFile(join(dataDir, 'idp-signing.crt.pem'), 'utf8')
    const identity = { certificatePem: pem, privateKeyPem: '' }
    expect(hostMismatch(identity, '127.0.0.1')).toBeUndefined()
    expect(hostMismatch(identity, 'idp.example')).toMatch(/does not name idp\.example/)
  })

  it('refuses a --tls-cert and --tls-key that are not a pair, naming the files', async () => {
    const { idp, other } = await testCredentials()
    const certFile = join(dataDir, 'given.crt.pem')
    const keyFile = join(dataDir, 'given.key.pem')
    await writeFile(certFile, idp.certificatePem)
    await writeFile(keyFile, other.privateKeyPem)
    const failure = await startServe({
      idpPort: 0,
      spPort: 0,
      host: '127.0.0.1',
      dataDir,
      tls: { certFile, keyFile },
      log: () => {},
    }).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(isSsoError(failure) && failure.code).toBe('CONFIG_INVALID')
    expect(JSON.stringify(isSsoError(failure) && failure.evidence)).toContain('given.key.pem')
  })
})
