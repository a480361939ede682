import type { X509Certificate } from 'node:crypto'
import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { newId } from '../../core/random/index.ts'
import { artifactSourceId, parseArtifact } from '../../core/saml/artifact.ts'
import { statusCodes } from '../../core/saml/constants.ts'
import { readSoapEnvelope, soapContentType, soapEnvelope, soapFault } from '../../core/saml/soap.ts'
import { attr, childElements, firstChildElement, ns, textContent } from '../../core/xml/index.ts'
import { verifyElementSignature } from '../../core/xmldsig/index.ts'
import type { IdpContext } from '../context.ts'
import { journalArtifactResolve } from '../faults/journal-entries.ts'
import { type SpCryptoAllowance, spCryptoAllowance } from '../service-providers/crypto-allowance.ts'
import type { SpRegistration } from '../service-providers/registration.ts'
import { buildArtifactResponse } from './build-artifact-response.ts'
import { isRegisteredClientCertificate, tlsClientCertificate } from './tls-client.ts'

/** Index of the IdP's one ArtifactResolutionService, in metadata and in every artifact it issues. */
export const artifactResolutionIndex = 0

/** What the IdP answers inside its ArtifactResponse. */
type Answer =
  | { kind: 'message'; messageXml: string; requester: string; inResponseTo?: string }
  | { kind: 'empty'; reason: string; requester: string | undefined }
  | { kind: 'error'; status: { code: string; subCode?: string; message: string } }

/**
 * POST /saml/artifact — the ArtifactResolutionService (saml-bindings §3.6.5, saml-core §3.5),
 * SOAP 1.1. Its checks, in order:
 *   1. a SOAP Envelope whose Body holds one samlp:ArtifactResolve    else SOAP Fault (Client), HTTP 400
 *   2. Version 2.0                                                  else status VersionMismatch
 *   3. ID, IssueInstant, Issuer and exactly one Artifact            else status Requester
 *   4. Destination, when present, is this endpoint                  else status Requester/RequestDenied
 *   5. the Issuer is a registered SP                                else empty
 *   6. the SP is authenticated (saml-bindings §3.6.5.2) when it has registered certificates:
 *      a signature that verifies with one of them (SHA-1 only with legacyCrypto), or, unsigned,
 *      a TLS client certificate with one of their keys (serve --tls) else empty
 *      (a signature that is present must verify, client certificate or not)
 *   7. a type 0x0004 artifact with this IdP's SourceID and index    else empty
 *   8. issued here and neither used nor expired; taken now          else empty
 *   9. issued to this very SP (a foreign requester burns it)        else empty
 * and then a signed ArtifactResponse wrapping the stored Response. "Empty" is the Success
 * ArtifactResponse with no message that saml-core §3.5.3 prescribes for every artifact that
 * cannot be given out; the reason goes to the IdP log only. Malformed SOAP gets HTTP 400 rather
 * than SOAP 1.1's 500: no 5xx for bad input here.
 */
export async function handleArtifactResolve(ctx: IdpContext, c: Context) {
  let resolve: Element
  try {
    resolve = readArtifactResolveEnvelope(await c.req.text())
  } catch (error) {
    if (!(error instanceof SsoError)) throw error
    ctx.options.log(`IdP artifact resolve refused: ${error.code} (${error.check})`)
    return c.body(soapFault('Client', `${error.code}: ${error.reason}`), 400, {
      'Content-Type': soapContentType,
    })
  }
  const clientCertificate = tlsClientCertificate(c)
  const answer = answerArtifactResolve(ctx, resolve, clientCertificate)
  journalArtifactResolve(ctx, resolve, answer.kind, clientCertificate !== undefined)
  ctx.options.log(
    answer.kind === 'message'
      ? `IdP artifact resolved by ${answer.requester}`
      : answer.kind === 'empty'
        ? `IdP artifact resolve by ${answer.requester ?? 'an unknown requester'}: no message (${answer.reason})`
        : `IdP artifact resolve refused: ${answer.status.subCode ?? answer.status.code}`,
  )
  const { options } = ctx
  const xml = buildArtifactResponse(
    {
      id: newId(options.random),
      issuer: options.entityId,
      inResponseTo: (answer.kind === 'message' && answer.inResponseTo) || attr(resolve, 'ID'),
      issueInstant: options.clock.now(),
      status: answer.kind === 'error' ? answer.status : { code: statusCodes.success },
      ...(answer.kind === 'message' ? { messageXml: answer.messageXml } : {}),
    },
    {
      privateKeyPem: options.credential.privateKeyPem,
      certificatePem: options.credential.certificatePem,
    },
  )
  c.header('Cache-Control', 'no-store')
  return c.body(soapEnvelope(xml), 200, { 'Content-Type': soapContentType })
}

function readArtifactResolveEnvelope(text: string): Element {
  const body = readSoapEnvelope(text)
  const element = body.kind === 'message' ? body.element : undefined
  if (!element || element.namespaceURI !== ns.samlp || element.localName !== 'ArtifactResolve') {
    throw new SsoError(
      'SOAP_MESSAGE_INVALID',
      'ArtifactResolve',
      'the SOAP Body does not hold a samlp:ArtifactResolve',
      { element: element ? `{${element.namespaceURI ?? ''}}${element.localName}` : 'Fault' },
    )
  }
  return element
}

function answerArtifactResolve(
  ctx: IdpContext,
  resolve: Element,
  clientCertificate: X509Certificate | undefined,
): Answer {
  if (attr(resolve, 'Version') !== '2.0') {
    return error(statusCodes.versionMismatch, undefined, 'the ArtifactResolve Version is not 2.0')
  }
  const issuerElement = firstChildElement(resolve, ns.saml, 'Issuer')
  const artifacts = childElements(resolve, ns.samlp, 'Artifact')
  if (!attr(resolve, 'ID') || !attr(resolve, 'IssueInstant') || !issuerElement) {
    return error(statusCodes.requester, undefined, 'ID, IssueInstant and Issuer are required')
  }
  if (artifacts.length !== 1) {
    return error(statusCodes.requester, undefined, 'exactly one Artifact is required')
  }
  const destination = attr(resolve, 'Destination')
  if (destination !== undefined && destination !== ctx.options.urls.artifactResolution) {
    return error(
      statusCodes.requester,
      statusCodes.requestDenied,
      'the Destination is not this ArtifactResolutionService',
    )
  }

  const requester = textContent(issuerElement).trim()
  const sp = ctx.serviceProviders.get(requester)
  if (!sp) return { kind: 'empty', reason: 'the Issuer is not a registered SP', requester }
  const unauthenticated = checkRequester(
    resolve,
    sp,
    clientCertificate,
    spCryptoAllowance(ctx.options.log, sp),
  )
  if (unauthenticated) return { kind: 'empty', reason: unauthenticated, requester }

  let messageHandle: Buffer
  try {
    const artifact = parseArtifact(textContent(artifacts[0] as Element).trim(), 'Artifact')
    if (
      !artifact.sourceId.equals(artifactSourceId(ctx.options.entityId)) ||
      artifact.endpointIndex !== artifactResolutionIndex
    ) {
      return { kind: 'empty', reason: 'the artifact was not issued by this IdP', requester }
    }
    messageHandle = artifact.messageHandle
  } catch (caught) {
    if (!(caught instanceof SsoError)) throw caught
    return { kind: 'empty', reason: `the artifact is malformed (${caught.code})`, requester }
  }
  const issued = ctx.artifacts.take(messageHandle)
  if (!issued) return { kind: 'empty', reason: 'unknown, already used or expired', requester }
  if (issued.spEntityId !== sp.entityId) {
    return { kind: 'empty', reason: 'the artifact was issued to another SP', requester }
  }
  return {
    kind: 'message',
    messageXml: issued.responseXml,
    requester,
    ...(issued.answerInResponseTo !== undefined ? { inResponseTo: issued.answerInResponseTo } : {}),
  }
}

/**
 * saml-bindings §3.6.5.2: the requester authenticates by its signature or by TLS client
 * authentication; a reason when it does neither.
 */
function checkRequester(
  resolve: Element,
  sp: SpRegistration,
  clientCertificate: X509Certificate | undefined,
  allowance: SpCryptoAllowance,
): string | undefined {
  const signed = firstChildElement(resolve, ns.ds, 'Signature') !== undefined
  if (!signed) {
    if (sp.certificates.length === 0) return undefined
    if (clientCertificate === undefined) {
      return 'the SP has registered certificates, so its ArtifactResolve must be signed or come with its TLS client certificate'
    }
    return isRegisteredClientCertificate(clientCertificate, sp.certificates)
      ? undefined
      : 'the TLS client certificate is not one registered for the SP'
  }
  if (sp.certificates.length === 0) return 'the SP has no registered certificate to verify with'
  try {
    verifyElementSignature(resolve, { trustedCertificates: sp.certificates, ...allowance })
    return undefined
  } catch (caught) {
    if (!(caught instanceof SsoError)) throw caught
    return `the signature does not verify (${caught.code})`
  }
}

function error(code: string, subCode: string | undefined, message: string): Answer {
  return { kind: 'error', status: { code, ...(subCode ? { subCode } : {}), message } }
}
