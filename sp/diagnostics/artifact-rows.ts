import type { Finding } from '../../core/errors/index.ts'
import { readSoapEnvelope } from '../../core/saml/soap.ts'
import { decodeSamlXml } from '../../core/trace/decode.ts'
import { attr, firstChildElement, localNameOf, ns, textContent } from '../../core/xml/index.ts'
import type { ArtifactTrace } from '../artifact/receive-artifact.ts'
import type { DiagnosticCheck } from './attempt.ts'

type Stage = Exclude<ArtifactTrace['stage'], 'done'>

/** The HTTP-Artifact steps before the ACS checks (artifact/receive-artifact.ts), as rows. */
const rows: readonly (readonly [Stage, string, string])[] = [
  [
    'artifact',
    'Artifact',
    'SAMLart: a type 0x0004 artifact whose SourceID is the SHA-1 of the IdP entity ID',
  ],
  [
    'resolve',
    'ArtifactResolve',
    'a signed ArtifactResolve to the IdP ArtifactResolutionService (SOAP), answered in time',
  ],
  [
    'response',
    'ArtifactResponse',
    'HTTP 200, no SOAP Fault; signature (when signed) by the IdP; Issuer; InResponseTo the ArtifactResolve; Success; one message',
  ],
]

/**
 * The rows of an HTTP-Artifact attempt: what the SAMLart said, the ArtifactResolve the SP sent
 * (signed, where, its ID) and the IdP's answer (HTTP status, signed?, InResponseTo, Status). A
 * failure during resolution lands on the step it stopped at; the steps after it are not reached.
 */
export function artifactRows(
  trace: ArtifactTrace,
  failure: Finding | undefined,
): DiagnosticCheck[] {
  const stoppedAt =
    trace.stage === 'done' || failure === undefined
      ? -1
      : rows.findIndex(([stage]) => stage === trace.stage)
  return rows.map(([stage, check, enforces], index) => {
    const row = {
      check,
      enforces,
      source: 'sp' as const,
      warnings: [],
      details: detailsOf(stage, trace),
    }
    if (stoppedAt === -1 || index < stoppedAt) return { ...row, outcome: 'pass' as const }
    if (index === stoppedAt && failure) return { ...row, outcome: 'fail' as const, failure }
    return { ...row, outcome: 'not-reached' as const }
  })
}

/** The ArtifactResolve sent and the SOAP answer received, decoded with every secret redacted. */
export function artifactMessages(trace: ArtifactTrace) {
  return [
    ...(trace.resolve
      ? [decodeSamlXml(trace.resolve.xml, 'ArtifactResolve (sent by the SP)')]
      : []),
    ...(trace.answer?.text !== undefined
      ? [
          decodeSamlXml(
            trace.answer.text,
            `ArtifactResponse (SOAP answer, HTTP ${trace.answer.status})`,
          ),
        ]
      : []),
  ]
}

function detailsOf(stage: Stage, trace: ArtifactTrace): Record<string, string> {
  if (stage === 'artifact') {
    const artifact = trace.artifact
    return artifact
      ? {
          TypeCode: '0x0004',
          EndpointIndex: String(artifact.endpointIndex),
          SourceID: artifact.sourceId,
          'expected SourceID': artifact.expectedSourceId,
        }
      : {}
  }
  if (stage === 'resolve') {
    const resolve = trace.resolve
    return resolve ? { to: resolve.url, ID: resolve.id, signed: 'yes (the SP key)' } : {}
  }
  const answer = trace.answer
  if (!answer) return {}
  return {
    'HTTP status': String(answer.status),
    ...readAnswer(answer.text),
    ...(trace.resolve ? { 'expected InResponseTo': trace.resolve.id } : {}),
  }
}

/** What the answer says, read only for display; an unreadable answer says why. */
function readAnswer(text: string | undefined): Record<string, string> {
  if (text === undefined) return { body: '(larger than the XML size cap)' }
  let body: ReturnType<typeof readSoapEnvelope>
  try {
    body = readSoapEnvelope(text)
  } catch {
    return { body: clip(text.replace(/\s+/g, ' ').trim()) || '(empty)' }
  }
  if (body.kind === 'fault') {
    return { 'SOAP Fault': `${clip(body.faultcode)}: ${clip(body.faultstring)}` }
  }
  const response = body.element
  const issuer = firstChildElement(response, ns.saml, 'Issuer')
  const status = firstChildElement(response, ns.samlp, 'Status')
  const code = status && firstChildElement(status, ns.samlp, 'StatusCode')
  return {
    element: localNameOf(response),
    signed: firstChildElement(response, ns.ds, 'Signature') ? 'yes' : 'no',
    Issuer: issuer ? clip(textContent(issuer).trim()) : '(absent)',
    InResponseTo: attr(response, 'InResponseTo') ?? '(absent)',
    StatusCode: (code && attr(code, 'Value')) ?? '(absent)',
  }
}

function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}
