import { beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { createApp } from '../../core/http/create-app.ts'
import type { Credential } from '../../core/keys/index.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import { artifactSourceId, encodeArtifact } from '../../core/saml/artifact.ts'
import { bindings, statusCodes } from '../../core/saml/constants.ts'
import { readSoapEnvelope, soapContentType, soapEnvelope } from '../../core/saml/soap.ts'
import { attr, childElements, firstChildElement, ns, textContent } from '../../core/xml/index.ts'
import { verifyElementSignature } from '../../core/xmldsig/index.ts'
import { buildArtifactResolve } from '../../sp/artifact/build-artifact-resolve.ts'
import { testCredentials } from '../../tests/fixtures/in-process.ts'
import { createIdpContext } from '../create-context.ts'
import { resolveIdpOptions } from '../options.ts'
import { handleArtifactResolve } from './resolve-artifact.ts'

const idpBase = 'https://idp.example'
const signingSp = 'https://signing-sp.example/metadata'
const plainSp = 'https://plain-sp.example/metadata'
const responseXml = `<samlp:Response xmlns:samlp="${ns.samlp}" ID="_stored" Version="2.0" IssueInstant="2030-01-01T00:00:00Z"/>`

let keys: { idp: Credential; sp: Credential; other: Credential }
beforeAll(async () => {
  keys = await testCredentials()
})

/** The resolution service alone over an IdP context, so a test can store any message. */
function setUp(artifactLifetimeMs?: number) {
  const clock = createManualClock('2030-01-01T00:00:00Z')
  const log: string[] = []
  const { resolved, seeds } = resolveIdpOptions({
    baseUrl: idpBase,
    credential: keys.idp,
    clock,
    random: createSeededRandom('ars'),
    log: (line) => log.push(line),
    ...(artifactLifetimeMs !== undefined ? { artifactLifetimeMs } : {}),
    serviceProviders: [
      {
        entityId: signingSp,
        assertionConsumerServices: [
          { location: 'https://signing-sp.example/acs', binding: bindings.artifact },
        ],
        certificates: [keys.sp.certificatePem],
        responseBinding: 'artifact',
      },
      {
        entityId: plainSp,
        assertionConsumerServices: [
          { location: 'https://plain-sp.example/acs', binding: bindings.artifact },
        ],
        responseBinding: 'artifact',
      },
    ],
  })
  const context = createIdpContext(resolved, seeds)
  const app = createApp('IdP', resolved.log)
  app.post('/saml/artifact', (c) => handleArtifactResolve(context, c))
  return { app, artifacts: context.artifacts, clock, log }
}

type Setup = ReturnType<typeof setUp>
let resolveCounter = 0

/** A signed ArtifactResolve, as the reference SP sends it. */
function signedResolve(artifact: string, options: { issuer?: string; key?: Credential } = {}) {
  const key = options.key ?? keys.sp
  const id = `_resolve${++resolveCounter}`
  const xml = buildArtifactResolve(
    {
      id,
      issueInstant: Date.UTC(2030, 0, 1),
      destination: `${idpBase}/saml/artifact`,
      issuer: options.issuer ?? signingSp,
      artifact,
    },
    { privateKeyPem: key.privateKeyPem, certificatePem: key.certificatePem },
  )
  return { id, envelope: soapEnvelope(xml) }
}

function unsignedResolve(issuer: string, artifact: string, attributes = 'Version="2.0"') {
  const id = `_resolve${++resolveCounter}`
  const xml = `<samlp:ArtifactResolve xmlns:samlp="${ns.samlp}" xmlns:saml="${ns.saml}" ID="${id}" ${attributes} IssueInstant="2030-01-01T00:00:00Z"><saml:Issuer>${issuer}</saml:Issuer><samlp:Artifact>${artifact}</samlp:Artifact></samlp:ArtifactResolve>`
  return { id, envelope: soapEnvelope(xml) }
}

async function post(setup: Setup, body: string) {
  const response = await setup.app.request('/saml/artifact', {
    method: 'POST',
    headers: { 'content-type': soapContentType },
    body,
  })
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    text: await response.text(),
  }
}

/** The ArtifactResponse of an answer: its status and the message inside, if any. */
function readAnswer(text: string) {
  const body = readSoapEnvelope(text)
  if (body.kind !== 'message') throw new Error(`a SOAP Fault: ${body.faultstring}`)
  const element = body.element
  const status = firstChildElement(element, ns.samlp, 'Status')
  const code = status && firstChildElement(status, ns.samlp, 'StatusCode')
  const sub = code && firstChildElement(code, ns.samlp, 'StatusCode')
  return {
    element,
    status: code ? attr(code, 'Value') : undefined,
    subStatus: sub ? attr(sub, 'Value') : undefined,
    message: childElements(element, ns.samlp, 'Response')[0],
  }
}

describe('IdP ArtifactResolutionService (SOAP)', () => {
  it('answers a signed resolve with a signed ArtifactResponse wrapping the Response, once', async () => {
    const setup = setUp()
    const artifact = setup.artifacts.issue(signingSp, responseXml)
    const resolve = signedResolve(artifact)
    const first = await post(setup, resolve.envelope)
    expect(first.status).toBe(200)
    expect(first.type).toBe(soapContentType)
    const answer = readAnswer(first.text)
    expect(answer.element.localName).toBe('ArtifactResponse')
    expect(attr(answer.element, 'InResponseTo')).toBe(resolve.id)
    const issuer = firstChildElement(answer.element, ns.saml, 'Issuer')
    expect(issuer && textContent(issuer)).toBe(`${idpBase}/saml/metadata`)
    expect(answer.status).toBe(statusCodes.success)
    expect(answer.message && attr(answer.message, 'ID')).toBe('_stored')
    const verified = verifyElementSignature(answer.element, {
      trustedCertificates: [keys.idp.certificatePem],
    })
    expect(verified.signatureAlgorithm).toBe('rsa-sha256')

    const second = readAnswer((await post(setup, signedResolve(artifact).envelope)).text)
    expect(second.status).toBe(statusCodes.success)
    expect(second.message).toBeUndefined()
    expect(setup.log.at(-1)).toBe(
      `IdP artifact resolve by ${signingSp}: no message, IDP_ARTIFACT_UNKNOWN (unknown, already used or expired)`,
    )
    expect(setup.log.join('\n')).not.toContain(artifact)
  })

  it('requires a signature from an SP with certificates, and an unauthenticated try burns nothing', async () => {
    const setup = setUp()
    const artifact = setup.artifacts.issue(signingSp, responseXml)
    const unsigned = readAnswer(
      (await post(setup, unsignedResolve(signingSp, artifact).envelope)).text,
    )
    expect(unsigned.status).toBe(statusCodes.success)
    expect(unsigned.message).toBeUndefined()
    const forged = readAnswer(
      (await post(setup, signedResolve(artifact, { key: keys.other }).envelope)).text,
    )
    expect(forged.message).toBeUndefined()
    expect(setup.log.at(-1)).toContain('the signature does not verify (SAML_SIGNATURE_INVALID)')

    const genuine = readAnswer((await post(setup, signedResolve(artifact).envelope)).text)
    expect(genuine.message).toBeDefined()
  })

  it('accepts an unsigned resolve from an SP registered without certificates', async () => {
    const setup = setUp()
    const artifact = setup.artifacts.issue(plainSp, responseXml)
    const answer = readAnswer((await post(setup, unsignedResolve(plainSp, artifact).envelope)).text)
    expect(answer.message).toBeDefined()
  })

  it('gives nothing to an unknown requester, for a foreign or malformed artifact, or too late', async () => {
    const setup = setUp(5_000)
    const artifact = setup.artifacts.issue(plainSp, responseXml)
    const empty = async (envelope: string) => readAnswer((await post(setup, envelope)).text).message
    expect(
      await empty(unsignedResolve('https://stranger.example', artifact).envelope),
    ).toBeUndefined()
    const foreign = encodeArtifact({
      endpointIndex: 0,
      sourceId: artifactSourceId('https://other-idp.example'),
      messageHandle: Buffer.alloc(20, 7),
    })
    expect(await empty(unsignedResolve(plainSp, foreign).envelope)).toBeUndefined()
    expect(await empty(unsignedResolve(plainSp, 'bm90IGFuIGFydGlmYWN0').envelope)).toBeUndefined()
    expect(setup.log.at(-1)).toContain('the artifact is malformed (SAML_ARTIFACT_INVALID)')

    setup.clock.advance('5s')
    expect(await empty(unsignedResolve(plainSp, artifact).envelope)).toBeUndefined()
    expect(setup.log.at(-1)).toContain('unknown, already used or expired')
  })

  it('gives nothing to a registered, authenticated SP resolving another SP’s artifact, and burns it', async () => {
    const setup = setUp()
    const artifact = setup.artifacts.issue(plainSp, responseXml)
    const stolen = readAnswer((await post(setup, signedResolve(artifact).envelope)).text)
    expect(stolen.status).toBe(statusCodes.success)
    expect(stolen.message).toBeUndefined()
    expect(setup.log.at(-1)).toBe(
      `IdP artifact resolve by ${signingSp}: no message, IDP_ARTIFACT_OTHER_REQUESTER (the artifact was issued to another SP)`,
    )
    // saml-core §3.5.3: resolved once, whoever asked; the intended SP gets nothing either.
    const late = readAnswer((await post(setup, unsignedResolve(plainSp, artifact).envelope)).text)
    expect(late.message).toBeUndefined()
  })

  it('answers with the InResponseTo a saml-artifact wrong-in-response-to fault gave the artifact', async () => {
    const setup = setUp()
    const artifact = setup.artifacts.issue(plainSp, responseXml, {
      answerInResponseTo: '_another-artifact-resolve',
    })
    const resolve = unsignedResolve(plainSp, artifact)
    const answer = readAnswer((await post(setup, resolve.envelope)).text)
    expect(answer.message && attr(answer.message, 'ID')).toBe('_stored')
    expect(attr(answer.element, 'InResponseTo')).toBe('_another-artifact-resolve')
  })

  it('answers a resolve it cannot process with a SAML status, not an empty Success', async () => {
    const setup = setUp()
    const artifact = setup.artifacts.issue(plainSp, responseXml)
    const version = readAnswer(
      (await post(setup, unsignedResolve(plainSp, artifact, 'Version="1.1"').envelope)).text,
    )
    expect(version.status).toBe(statusCodes.versionMismatch)
    const elsewhere = readAnswer(
      (
        await post(
          setup,
          unsignedResolve(plainSp, artifact, 'Version="2.0" Destination="https://evil.example/"')
            .envelope,
        )
      ).text,
    )
    expect(elsewhere.status).toBe(statusCodes.requester)
    expect(elsewhere.subStatus).toBe(statusCodes.requestDenied)
    const twoArtifacts = unsignedResolve(plainSp, artifact).envelope.replace(
      '</samlp:ArtifactResolve>',
      `<samlp:Artifact>${artifact}</samlp:Artifact></samlp:ArtifactResolve>`,
    )
    expect(readAnswer((await post(setup, twoArtifacts)).text).status).toBe(statusCodes.requester)

    const stillThere = readAnswer(
      (await post(setup, unsignedResolve(plainSp, artifact).envelope)).text,
    )
    expect(stillThere.message).toBeDefined()
  })

  it('answers malformed SOAP with HTTP 400 and a Client Fault', async () => {
    const setup = setUp()
    for (const body of [
      'not xml',
      '<!DOCTYPE x><x/>',
      `<samlp:ArtifactResolve xmlns:samlp="${ns.samlp}"/>`,
      soapEnvelope(`<samlp:AuthnRequest xmlns:samlp="${ns.samlp}" ID="_a" Version="2.0"/>`),
      '',
    ]) {
      const answer = await post(setup, body)
      expect(answer.status).toBe(400)
      expect(answer.type).toBe(soapContentType)
      const fault = readSoapEnvelope(answer.text)
      expect(fault.kind).toBe('fault')
      if (fault.kind === 'fault') {
        expect(fault.faultcode).toBe('soapenv:Client')
        expect(fault.faultstring).toMatch(/^(XML_|SOAP_)[A-Z_]+: /)
      }
    }
  })
})
