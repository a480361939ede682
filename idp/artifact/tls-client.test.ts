import { once } from 'node:events'
import { request as httpsRequest, createServer as httpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../core/http/create-app.ts'
import type { Credential } from '../../core/keys/index.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import { bindings } from '../../core/saml/constants.ts'
import { readSoapEnvelope, soapContentType, soapEnvelope } from '../../core/saml/soap.ts'
import { childElements, ns } from '../../core/xml/index.ts'
import { signElement } from '../../core/xmldsig/index.ts'
import { testCredentials } from '../../tests/fixtures/in-process.ts'
import type { IdpContext } from '../context.ts'
import { createIdpContext } from '../create-context.ts'
import { resolveIdpOptions } from '../options.ts'
import { handleArtifactResolve } from './resolve-artifact.ts'

const idpBase = 'https://idp.example'
const sp = 'https://tls-sp.example/metadata'
const legacySp = 'https://legacy-sp.example/metadata'
const responseXml = `<samlp:Response xmlns:samlp="${ns.samlp}" ID="_stored" Version="2.0" IssueInstant="2030-01-01T00:00:00Z"/>`

let keys: { idp: Credential; sp: Credential; other: Credential }
let idp: IdpContext
let server: ReturnType<typeof serve>
let port: number
const log: string[] = []

const registration = (entityId: string, legacyCrypto: boolean) => ({
  entityId,
  assertionConsumerServices: [{ location: `${entityId}/acs`, binding: bindings.artifact }],
  certificates: [keys.sp.certificatePem],
  responseBinding: 'artifact' as const,
  legacyCrypto,
})

beforeAll(async () => {
  keys = await testCredentials()
  const { resolved, seeds } = resolveIdpOptions({
    baseUrl: idpBase,
    credential: keys.idp,
    random: createSeededRandom('tls-client'),
    log: (line) => log.push(line),
    serviceProviders: [registration(sp, false), registration(legacySp, true)],
  })
  // The IdP's state and its ArtifactResolutionService, as createIdp mounts it.
  idp = createIdpContext(resolved, seeds)
  const app = createApp('IdP', resolved.log)
  app.post('/saml/artifact', (c) => handleArtifactResolve(idp, c))
  // As `serve --tls` runs the IdP: every client asked for a certificate, none refused for it.
  server = serve({
    fetch: app.fetch,
    port: 0,
    hostname: '127.0.0.1',
    createServer: httpsServer,
    serverOptions: {
      cert: keys.idp.certificatePem,
      key: keys.idp.privateKeyPem,
      requestCert: true,
      rejectUnauthorized: false,
    },
  })
  await once(server, 'listening')
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  await new Promise((done) => server.close(done))
})

let counter = 0
function resolveXml(issuer: string, artifact: string): { id: string; xml: string } {
  const id = `_tls${++counter}`
  return {
    id,
    xml: `<samlp:ArtifactResolve xmlns:samlp="${ns.samlp}" xmlns:saml="${ns.saml}" ID="${id}" Version="2.0" IssueInstant="2030-01-01T00:00:00Z"><saml:Issuer>${issuer}</saml:Issuer><samlp:Artifact>${artifact}</samlp:Artifact></samlp:ArtifactResolve>`,
  }
}

/** POSTs the SOAP envelope over real TLS, with or without a client certificate. */
async function resolveOverTls(xml: string, client?: Credential): Promise<boolean> {
  const text = await new Promise<string>((done, fail) => {
    const request = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/saml/artifact',
        method: 'POST',
        headers: { 'content-type': soapContentType },
        rejectUnauthorized: false,
        ...(client ? { cert: client.certificatePem, key: client.privateKeyPem } : {}),
      },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          body += chunk
        })
        response.on('end', () => done(body))
      },
    )
    request.on('error', fail)
    request.end(soapEnvelope(xml))
  })
  const body = readSoapEnvelope(text)
  if (body.kind !== 'message') throw new Error('a SOAP Fault')
  return childElements(body.element, ns.samlp, 'Response').length === 1
}

const lastJournal = () => idp.journal.list({ sp, message: 'ArtifactResolve' }).at(-1)

describe('ArtifactResolve authenticated by a TLS client certificate (saml-bindings §3.6.5.2)', () => {
  it('gives the message to an unsigned resolve whose client certificate carries a registered key', async () => {
    const artifact = idp.artifacts.issue(sp, responseXml)
    expect(await resolveOverTls(resolveXml(sp, artifact).xml, keys.sp)).toBe(true)
    expect(lastJournal()).toMatchObject({
      signed: false,
      clientCertificate: true,
      answer: 'message',
    })
  })

  it('gives nothing for a certificate of another key, or for none; the SP’s own key then gets it', async () => {
    for (const client of [keys.other, undefined]) {
      const artifact = idp.artifacts.issue(sp, responseXml)
      expect(await resolveOverTls(resolveXml(sp, artifact).xml, client)).toBe(false)
      expect(lastJournal()).toMatchObject({
        clientCertificate: client !== undefined,
        answer: 'empty',
      })
      expect(await resolveOverTls(resolveXml(sp, artifact).xml, keys.sp)).toBe(true)
    }
  })

  it('still refuses a signature that does not verify, whatever certificate came over TLS', async () => {
    const artifact = idp.artifacts.issue(sp, responseXml)
    const { id, xml } = resolveXml(sp, artifact)
    const forged = signElement(xml, { id, ...keys.other })
    expect(await resolveOverTls(forged, keys.sp)).toBe(false)
  })
})

describe('per-SP legacyCrypto: SHA-1 from that SP only', () => {
  const sha1Signed = (issuer: string, artifact: string) => {
    const { id, xml } = resolveXml(issuer, artifact)
    return signElement(xml, {
      id,
      ...keys.sp,
      signatureAlgorithm: 'rsa-sha1',
      digestAlgorithm: 'sha1',
    })
  }

  it('refuses an RSA-SHA1 signed resolve from an SP without it', async () => {
    const artifact = idp.artifacts.issue(sp, responseXml)
    expect(await resolveOverTls(sha1Signed(sp, artifact))).toBe(false)
  })

  it('accepts it from the SP registered with legacyCrypto, and logs a warning naming it', async () => {
    const artifact = idp.artifacts.issue(legacySp, responseXml)
    expect(await resolveOverTls(sha1Signed(legacySp, artifact))).toBe(true)
    expect(
      log.some((line) => line.includes('SAML_SIGNATURE_SHA1') && line.includes(legacySp)),
    ).toBe(true)
  })
})
