import type { Element } from '@xmldom/xmldom'
import { SsoError } from '../errors/index.ts'
import { attr, childElements, findElementsById, ns, ownerDocumentOf } from '../xml/index.ts'

/** saml-core 5.4.1: the signature is enveloped, a direct child of the element it signs. */
export function findEnvelopedSignature(element: Element): Element {
  const signatures = childElements(element, ns.ds, 'Signature')
  const [signature] = signatures
  if (!signature) {
    throw new SsoError(
      'SAML_SIGNATURE_MISSING',
      'Signature',
      `the ${element.localName} carries no ds:Signature of its own`,
      { element: element.localName },
    )
  }
  if (signatures.length > 1) {
    throw new SsoError(
      'SAML_SIGNATURE_REFERENCE_INVALID',
      'Signature',
      `the ${element.localName} carries more than one ds:Signature`,
      { element: element.localName, signatures: signatures.length },
    )
  }
  return signature
}

/**
 * The element's ID, which must be unique in its document: the verifier resolves `#ID` by
 * searching the whole document, so a second holder could be the one it hashes.
 */
export function requireUniqueId(element: Element): string {
  const id = attr(element, 'ID')
  if (!id) {
    throw new SsoError(
      'SAML_SIGNATURE_REFERENCE_INVALID',
      'ID',
      `the signed ${element.localName} has no ID attribute`,
      { element: element.localName },
    )
  }
  const holders = findElementsById(ownerDocumentOf(element), id)
  if (holders.length > 1) {
    throw new SsoError(
      'SAML_DUPLICATE_ID',
      'ID',
      `the ID of the signed ${element.localName} occurs on ${holders.length} elements`,
      { element: element.localName, occurrences: holders.length },
    )
  }
  if (holders[0] !== element) {
    throw new SsoError(
      'SAML_SIGNATURE_REFERENCE_INVALID',
      'ID',
      `the signed ${element.localName} is not attached to its document`,
      { element: element.localName },
    )
  }
  return id
}
