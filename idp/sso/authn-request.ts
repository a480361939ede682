import type { Document, Element } from '@xmldom/xmldom'
import {
  type Comparison,
  comparisons,
  type RequestedContext,
} from '../../core/authn-context/requested-context.ts'
import { SsoError } from '../../core/errors/index.ts'
import { attr, childElements, firstChildElement, ns, textContent } from '../../core/xml/index.ts'

/** The parts of a samlp:AuthnRequest (saml-core §3.4.1) the IdP acts on. */
export interface AuthnRequest {
  element: Element
  id: string
  issuer: string | undefined
  destination: string | undefined
  assertionConsumerServiceUrl: string | undefined
  assertionConsumerServiceIndex: number | undefined
  protocolBinding: string | undefined
  forceAuthn: boolean
  isPassive: boolean
  /** NameIDPolicy/@Format (saml-core §3.4.1.1), when the request names one. */
  nameIdPolicyFormat: string | undefined
  /** RequestedAuthnContext (saml-core §3.3.2.2.1), when the request has one. */
  requestedAuthnContext: RequestedContext | undefined
}

export function readAuthnRequest(doc: Document): AuthnRequest {
  const root = doc.documentElement
  if (!root || root.namespaceURI !== ns.samlp || root.localName !== 'AuthnRequest') {
    throw invalid('the root element is not samlp:AuthnRequest', {
      root: root ? `{${root.namespaceURI ?? ''}}${root.localName}` : null,
    })
  }
  if (attr(root, 'Version') !== '2.0') {
    throw invalid('the AuthnRequest Version is not 2.0', { version: attr(root, 'Version') ?? null })
  }
  const id = attr(root, 'ID')
  if (!id) throw invalid('the AuthnRequest has no ID', {})
  const issuerEl = firstChildElement(root, ns.saml, 'Issuer')
  const nameIdPolicy = firstChildElement(root, ns.samlp, 'NameIDPolicy')
  const indexText = attr(root, 'AssertionConsumerServiceIndex')
  const index = indexText === undefined ? undefined : Number(indexText)
  if (index !== undefined && !Number.isInteger(index)) {
    throw invalid('AssertionConsumerServiceIndex is not an integer', { value: indexText ?? null })
  }
  return {
    element: root,
    id,
    issuer: issuerEl ? textContent(issuerEl).trim() : undefined,
    destination: attr(root, 'Destination'),
    assertionConsumerServiceUrl: attr(root, 'AssertionConsumerServiceURL'),
    assertionConsumerServiceIndex: index,
    protocolBinding: attr(root, 'ProtocolBinding'),
    forceAuthn: attr(root, 'ForceAuthn') === 'true' || attr(root, 'ForceAuthn') === '1',
    isPassive: attr(root, 'IsPassive') === 'true' || attr(root, 'IsPassive') === '1',
    nameIdPolicyFormat: nameIdPolicy ? attr(nameIdPolicy, 'Format') : undefined,
    requestedAuthnContext: readRequestedAuthnContext(root),
  }
}

/**
 * saml-core §3.3.2.2.1: the classes asked for and how to compare (default `exact`). The IdP
 * knows no authentication context declarations: a request by AuthnContextDeclRef names no class
 * it can state, and is answered NoAuthnContext.
 */
function readRequestedAuthnContext(root: Element): RequestedContext | undefined {
  const requested = firstChildElement(root, ns.samlp, 'RequestedAuthnContext')
  if (!requested) return undefined
  const comparison = attr(requested, 'Comparison') ?? 'exact'
  if (!comparisons.includes(comparison as Comparison)) {
    throw invalid('RequestedAuthnContext Comparison is not exact, minimum, better or maximum', {
      comparison: comparison.slice(0, 40),
    })
  }
  const classRefs = childElements(requested, ns.saml, 'AuthnContextClassRef').map((element) =>
    textContent(element).trim(),
  )
  return { classRefs, comparison: comparison as Comparison }
}

function invalid(reason: string, evidence: Record<string, string | null>): SsoError {
  return new SsoError('SAML_REQUEST_INVALID', 'AuthnRequest', reason, evidence)
}
