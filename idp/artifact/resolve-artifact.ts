import type { Element } from '@xmldom/xmldom'
import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { newId } from '../../core/random/index.ts'
import { statusCodes } from '../../core/saml/constants.ts'
import { readSoapEnvelope, soapContentType, soapEnvelope, soapFault } from '../../core/saml/soap.ts'
import { attr, ns } from '../../core/xml/index.ts'
import type { IdpContext } from '../context.ts'
import { journalArtifactResolve } from '../faults/journal-entries.ts'
import { answerArtifactResolve } from './artifact-resolve-checks.ts'
import { buildArtifactResponse } from './build-artifact-response.ts'
import { tlsClientCertificate } from './tls-client.ts'

/**
 * POST /saml/artifact — the ArtifactResolutionService (saml-bindings §3.6.5, saml-core §3.5),
 * SOAP 1.1: a SOAP Envelope whose Body holds one samlp:ArtifactResolve, else a SOAP Fault
 * (Client) with HTTP 400 rather than SOAP 1.1's 500 (no 5xx for bad input here); then the checks
 * of artifactResolveChecks (artifact-resolve-checks.ts) and a signed ArtifactResponse wrapping
 * the stored Response, an error status, or no message.
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
        ? `IdP artifact resolve by ${answer.requester ?? 'an unknown requester'}: no message, ${answer.code} (${answer.reason})`
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
