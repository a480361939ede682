import type { Document, Element } from '@xmldom/xmldom'
import { type Evidence, SsoError } from '../../core/errors/index.ts'
import { readSoapEnvelope, type SoapBody } from '../../core/saml/soap.ts'
import { requireSuccessStatus } from '../../core/saml/status.ts'

type SoapFault = Extract<SoapBody, { kind: 'fault' }>

import {
  attr,
  childElements,
  firstChildElement,
  ns,
  ownerDocumentOf,
  textContent,
} from '../../core/xml/index.ts'
import { verifyElementSignature } from '../../core/xmldsig/index.ts'
import type { WarningSink } from '../../core/xmldsig/legacy.ts'
import type { SoapAnswer } from './send-soap.ts'

export interface ArtifactResponseExpectations {
  /** The ID of the ArtifactResolve this answers. */
  resolveId: string
  idpEntityId: string
  idpCertificates: string[]
  /** The IdP's legacy-crypto allowance (SpIdpSettings.allowLegacyCrypto). */
  allowSha1?: boolean
  /** When the certificate that verifies must be valid; unset: its dates are not checked. */
  at?: number
  ignoreCertificateValidity?: boolean
  onWarning?: WarningSink
}

/**
 * Reads the IdP's answer to an ArtifactResolve. Its checks, in order:
 *   1. a SOAP Fault (whatever the HTTP status)                SAML_ARTIFACT_RESOLVE_SOAP_FAULT
 *   2. HTTP 200                                               SAML_ARTIFACT_RESOLVE_HTTP_STATUS
 *   3. a SOAP Envelope holding one samlp:ArtifactResponse,
 *      Version 2.0, with an ID                                SAML_ARTIFACT_RESPONSE_INVALID
 *   4. its Issuer, when present, is the configured IdP        SAML_ISSUER_MISMATCH
 *   5. InResponseTo is the ArtifactResolve ID                 SAML_ARTIFACT_RESPONSE_INVALID
 *   6. status Success                                         SAML_STATUS_NOT_SUCCESS
 *   7. one message inside; none is saml-core §3.5.3's
 *      "empty response"                                      SAML_ARTIFACT_NOT_RESOLVED
 *   8. its signature, when present, verifies with the
 *      configured IdP certificates (never KeyInfo)           SAML_SIGNATURE_*
 * The cheap checks come before the signature's (catalogue case 38). Returns the message in a
 * document of its own, for the ACS checks that follow.
 */
export function readArtifactResponse(
  answer: SoapAnswer,
  expected: ArtifactResponseExpectations,
): Document {
  const read = readBody(answer)
  if ('fault' in read) {
    throw new SsoError(
      'SAML_ARTIFACT_RESOLVE_SOAP_FAULT',
      'ArtifactResolutionService',
      'the artifact resolution service answered with a SOAP Fault',
      {
        httpStatus: answer.status,
        faultcode: read.fault.faultcode,
        faultstring: read.fault.faultstring,
      },
    )
  }
  if (answer.status !== 200) {
    throw new SsoError(
      'SAML_ARTIFACT_RESOLVE_HTTP_STATUS',
      'ArtifactResolutionService',
      `the artifact resolution service answered HTTP ${answer.status}`,
      { httpStatus: answer.status },
    )
  }
  if ('unreadable' in read) {
    throw invalid('the answer is not a SOAP 1.1 Envelope', { cause: read.unreadable })
  }
  const response = read.message
  if (response.namespaceURI !== ns.samlp || response.localName !== 'ArtifactResponse') {
    throw invalid('the SOAP Body does not hold a samlp:ArtifactResponse', {
      element: `{${response.namespaceURI ?? ''}}${response.localName}`,
    })
  }
  if (attr(response, 'Version') !== '2.0' || !attr(response, 'ID')) {
    throw invalid('the ArtifactResponse needs Version 2.0 and an ID', {
      version: attr(response, 'Version') ?? null,
    })
  }

  const issuer = firstChildElement(response, ns.saml, 'Issuer')
  if (issuer && textContent(issuer).trim() !== expected.idpEntityId) {
    throw new SsoError(
      'SAML_ISSUER_MISMATCH',
      'Issuer (ArtifactResponse)',
      'the ArtifactResponse Issuer is not the configured IdP',
      { expected: expected.idpEntityId, received: textContent(issuer).trim() },
    )
  }
  const inResponseTo = attr(response, 'InResponseTo')
  if (inResponseTo !== expected.resolveId) {
    throw invalid('the ArtifactResponse does not answer this ArtifactResolve', {
      expected: expected.resolveId,
      received: inResponseTo ?? null,
    })
  }
  checkSuccess(response)

  const messages = childElements(response).filter((el) => !isEnvelopePart(el))
  const [message] = messages
  if (!message) {
    throw new SsoError(
      'SAML_ARTIFACT_NOT_RESOLVED',
      'ArtifactResponse',
      'the IdP returned no message for this artifact',
      { inResponseTo },
    )
  }
  if (messages.length > 1) {
    throw invalid('the ArtifactResponse holds more than one message', { messages: messages.length })
  }
  if (firstChildElement(response, ns.ds, 'Signature')) {
    verifyElementSignature(response, {
      trustedCertificates: expected.idpCertificates,
      allowSha1: expected.allowSha1 ?? false,
      ...(expected.at !== undefined ? { certificateValidityAt: expected.at } : {}),
      ignoreCertificateValidity: expected.ignoreCertificateValidity ?? false,
      ...(expected.onWarning ? { onWarning: expected.onWarning } : {}),
    })
  }
  const doc = ownerDocumentOf(response).implementation.createDocument(null, '', null)
  doc.appendChild(doc.importNode(message, true))
  return doc
}

/** The SOAP message or Fault, or why the answer is not SOAP at all (the parser's error code). */
function readBody(
  answer: SoapAnswer,
): { message: Element } | { fault: SoapFault } | { unreadable: string } {
  if (answer.text === undefined) return { unreadable: 'XML_TOO_LARGE' }
  try {
    const body = readSoapEnvelope(answer.text)
    return body.kind === 'fault' ? { fault: body } : { message: body.element }
  } catch (error) {
    if (error instanceof SsoError) return { unreadable: error.code }
    throw error
  }
}

function checkSuccess(response: Element): void {
  requireSuccessStatus(response, 'Status (ArtifactResponse)', {
    refused: 'the IdP refused the ArtifactResolve',
    missing: 'the ArtifactResponse carries no StatusCode',
  })
}

// saml-core §3.2.2: Issuer, Signature, Extensions and Status come before the wrapped message.
function isEnvelopePart(el: Element): boolean {
  return (
    (el.namespaceURI === ns.saml && el.localName === 'Issuer') ||
    (el.namespaceURI === ns.ds && el.localName === 'Signature') ||
    (el.namespaceURI === ns.samlp && (el.localName === 'Extensions' || el.localName === 'Status'))
  )
}

function invalid(reason: string, evidence: Evidence): SsoError {
  return new SsoError('SAML_ARTIFACT_RESPONSE_INVALID', 'ArtifactResponse', reason, evidence)
}
