import type { Document } from '@xmldom/xmldom'
import { SsoError } from '../../core/errors/index.ts'
import { newId } from '../../core/random/index.ts'
import { artifactSourceId, parseArtifact } from '../../core/saml/artifact.ts'
import { checkRelayState } from '../../core/saml/relay-state.ts'
import { soapEnvelope } from '../../core/saml/soap.ts'
import type { SpContext } from '../context.ts'
import { buildArtifactResolve } from './build-artifact-resolve.ts'
import { readArtifactResponse } from './read-artifact-response.ts'
import { type SoapAnswer, sendSoap } from './send-soap.ts'

/** Parameters of an ACS request, from the query (GET) or the form (POST). */
export type AcsParams = Record<string, string | File | (string | File)[]>

/**
 * How far an artifact got, for the diagnostics (`ssoproof sp`): the stage a failure stopped at
 * (`artifact`: reading SAMLart; `resolve`: sending the ArtifactResolve; `response`: reading the
 * answer), the artifact, the ArtifactResolve sent, and the IdP's SOAP answer as received.
 */
export interface ArtifactTrace {
  stage: 'artifact' | 'resolve' | 'response' | 'done'
  artifact?: { endpointIndex: number; sourceId: string; expectedSourceId: string }
  resolve?: { id: string; url: string; xml: string }
  answer?: SoapAnswer
}

/**
 * HTTP-Artifact binding at the ACS (saml-bindings §3.6), in order:
 *   1. SAMLart given once, not empty                              SAML_BINDING_INVALID / SAML_MESSAGE_MISSING
 *   2. RelayState given once, at most 80 bytes                     SAML_BINDING_INVALID / _RELAY_STATE_TOO_LONG
 *   3. a type 0x0004 artifact                                      SAML_ARTIFACT_INVALID
 *   4. its SourceID is the SHA-1 of the configured IdP entity ID   SAML_ARTIFACT_UNKNOWN_SOURCE
 *   5. an artifact resolution service URL is configured           SAML_ARTIFACT_RESOLUTION_UNCONFIGURED
 *   6. a signed ArtifactResolve over SOAP, answered in time        SAML_ARTIFACT_RESOLVE_TIMEOUT / _UNREACHABLE
 *   7. the ArtifactResponse (read-artifact-response.ts)
 * The EndpointIndex is not used: the SP knows one resolution service for its one IdP. The
 * Response that comes back is then validated exactly like one sent by HTTP-POST.
 */
export async function receiveArtifact(
  ctx: SpContext,
  params: AcsParams,
  trace: ArtifactTrace = { stage: 'artifact' },
): Promise<{ doc: Document; relayState: string | undefined }> {
  const { options } = ctx
  trace.stage = 'artifact'
  const samlart = single(params, 'SAMLart')
  if (!samlart) {
    throw new SsoError('SAML_MESSAGE_MISSING', 'HTTP-Artifact', 'SAMLart is empty', {
      parameter: 'SAMLart',
    })
  }
  const relayState = single(params, 'RelayState')
  checkRelayState(relayState)
  const artifact = parseArtifact(samlart)
  trace.artifact = {
    endpointIndex: artifact.endpointIndex,
    sourceId: artifact.sourceId.toString('hex'),
    expectedSourceId: artifactSourceId(options.idp.entityId).toString('hex'),
  }
  if (!artifact.sourceId.equals(artifactSourceId(options.idp.entityId))) {
    throw new SsoError(
      'SAML_ARTIFACT_UNKNOWN_SOURCE',
      'SourceID',
      'the artifact was not issued by the configured IdP',
      {
        sourceId: artifact.sourceId.toString('hex'),
        expected: artifactSourceId(options.idp.entityId).toString('hex'),
        idpEntityId: options.idp.entityId,
      },
    )
  }
  trace.stage = 'resolve'
  const url = options.idp.artifactResolutionUrl
  if (!url) {
    throw new SsoError(
      'SAML_ARTIFACT_RESOLUTION_UNCONFIGURED',
      'idp.artifactResolutionUrl',
      'the SP has no artifact resolution service URL for its IdP',
      { idpEntityId: options.idp.entityId },
    )
  }
  const resolveId = newId(options.random)
  const resolve = buildArtifactResolve(
    {
      id: resolveId,
      issueInstant: options.clock.now(),
      destination: url,
      issuer: options.entityId,
      artifact: samlart,
    },
    {
      privateKeyPem: options.credential.privateKeyPem,
      certificatePem: options.credential.certificatePem,
    },
  )
  trace.resolve = { id: resolveId, url, xml: resolve }
  const answer = await sendSoap({
    fetch: options.fetch,
    url,
    envelope: soapEnvelope(resolve),
    timeoutMs: options.artifactResolveTimeoutMs,
  })
  trace.answer = answer
  trace.stage = 'response'
  const doc = readArtifactResponse(answer, {
    resolveId,
    idpEntityId: options.idp.entityId,
    idpCertificates: options.idp.certificates,
    allowSha1: options.idp.allowLegacyCrypto ?? false,
    at: options.clock.now(),
    ignoreCertificateValidity: options.idp.ignoreCertificateValidity ?? false,
    onWarning: (warning) =>
      options.log(`SP warning ${warning.code} (ArtifactResponse): ${warning.reason}`),
  })
  trace.stage = 'done'
  options.log(`SP artifact resolved at ${url}`)
  return { doc, relayState }
}

function single(params: AcsParams, name: string): string | undefined {
  const value = params[name]
  if (value === undefined || typeof value === 'string') return value
  throw new SsoError(
    'SAML_BINDING_INVALID',
    'HTTP-Artifact',
    `${name} must be given once, as text`,
    {
      parameter: name,
    },
  )
}
