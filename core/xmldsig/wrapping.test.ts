import type { Document, Element, Node } from '@xmldom/xmldom'
import { beforeAll, describe, expect, it } from 'vitest'
import { childElements, firstChildElement, ns, parseXml, serializeXml } from '../xml/index.ts'
import { signElement } from './sign.ts'
import { createTestKey, sampleResponse, ssoErrorOf, type TestKey } from './test-support.ts'
import { verifyElementSignature } from './verify.ts'

/**
 * Signature wrapping, XSW1–XSW8 style (Somorovsky et al., USENIX Security 2012): the signed
 * element is moved and a forged one is put where a naive reader looks. Verifying the node that
 * reader would consume must fail.
 */

let idp: TestKey

beforeAll(async () => {
  idp = await createTestKey('idp.example.com')
})

type Layout = (doc: Document, evilId: string) => void

function signatureOf(element: Element): Element {
  const signature = firstChildElement(element, ns.ds, 'Signature')
  if (!signature) throw new Error('no signature')
  return signature
}

function withoutSignature(element: Element): Element {
  const copy = element.cloneNode(true) as Element
  const signature = firstChildElement(copy, ns.ds, 'Signature')
  if (signature) copy.removeChild(signature)
  return copy
}

/** An unsigned forgery of `original`: same content but the NameID, under `id`. */
function forge(original: Element, id: string): Element {
  const evil = withoutSignature(original)
  evil.setAttribute('ID', id)
  const nameId = evil.getElementsByTagNameNS(ns.saml, 'NameID')[0]
  if (nameId) nameId.textContent = 'admin@example.com'
  return evil
}

function insertAfterIssuer(parent: Element, child: Node): void {
  const issuer = firstChildElement(parent, ns.saml, 'Issuer')
  parent.insertBefore(child, issuer ? issuer.nextSibling : parent.firstChild)
}

function dsObject(doc: Document, content: Node): Element {
  const object = doc.createElementNS(ns.ds, 'ds:Object')
  object.appendChild(content)
  return object
}

function assertionOf(doc: Document): Element {
  return doc.getElementsByTagNameNS(ns.saml, 'Assertion')[0] as Element
}

const responseLayouts: Array<[string, Layout]> = [
  [
    'XSW1: forged Response at the root, signed original inside the Signature Object',
    (doc, evilId) => {
      const original = doc.documentElement as Element
      const evil = forge(original, evilId)
      const signature = signatureOf(original).cloneNode(true) as Element
      signature.appendChild(dsObject(doc, withoutSignature(original)))
      insertAfterIssuer(evil, signature)
      doc.replaceChild(evil, original)
    },
  ],
  [
    'XSW2: forged Response at the root, signed original beside the Signature',
    (doc, evilId) => {
      const original = doc.documentElement as Element
      const evil = forge(original, evilId)
      const signature = signatureOf(original).cloneNode(true) as Element
      insertAfterIssuer(evil, signature)
      evil.insertBefore(withoutSignature(original), signature)
      doc.replaceChild(evil, original)
    },
  ],
]

const assertionLayouts: Array<[string, Layout]> = [
  [
    'XSW3: forged Assertion placed before the signed one',
    (doc, evilId) => {
      const original = assertionOf(doc)
      original.parentNode?.insertBefore(forge(original, evilId), original)
    },
  ],
  [
    'XSW4: forged Assertion wrapping the signed one',
    (doc, evilId) => {
      const original = assertionOf(doc)
      const evil = forge(original, evilId)
      original.parentNode?.replaceChild(evil, original)
      evil.appendChild(original)
    },
  ],
  [
    'XSW5: forged Assertion carrying the Signature, original moved to the end unsigned',
    (doc, evilId) => {
      const original = assertionOf(doc)
      const evil = forge(original, evilId)
      insertAfterIssuer(evil, signatureOf(original).cloneNode(true))
      original.parentNode?.replaceChild(evil, original)
      doc.documentElement?.appendChild(withoutSignature(original))
    },
  ],
  [
    'XSW6: forged Assertion carrying the Signature, original inside that Signature',
    (doc, evilId) => {
      const original = assertionOf(doc)
      const evil = forge(original, evilId)
      const signature = signatureOf(original).cloneNode(true) as Element
      signature.appendChild(withoutSignature(original))
      insertAfterIssuer(evil, signature)
      original.parentNode?.replaceChild(evil, original)
    },
  ],
  [
    'XSW7: signed Assertion moved into samlp:Extensions, forged one in its place',
    (doc, evilId) => {
      const original = assertionOf(doc)
      const response = doc.documentElement as Element
      const extensions = doc.createElementNS(ns.samlp, 'samlp:Extensions')
      response.replaceChild(forge(original, evilId), original)
      insertAfterIssuer(response, extensions)
      extensions.appendChild(original)
    },
  ],
  [
    'XSW8: forged Assertion carrying the Signature, original in the Signature Object',
    (doc, evilId) => {
      const original = assertionOf(doc)
      const evil = forge(original, evilId)
      const signature = signatureOf(original).cloneNode(true) as Element
      signature.appendChild(dsObject(doc, withoutSignature(original)))
      insertAfterIssuer(evil, signature)
      original.parentNode?.replaceChild(evil, original)
    },
  ],
]

/** Builds the attack on a signed message and returns the node a naive reader would consume. */
function naiveRead(xml: string, layout: Layout, evilId: string, pick: (root: Element) => Element) {
  const doc = parseXml(xml)
  layout(doc, evilId)
  const received = parseXml(serializeXml(doc)).documentElement as Element
  return pick(received)
}

function codeOf(element: Element): string {
  return ssoErrorOf(() =>
    verifyElementSignature(element, { trustedCertificates: [idp.certificatePem] }),
  ).code
}

const firstAssertion = (root: Element) => childElements(root, ns.saml, 'Assertion')[0] as Element

describe('signature wrapping of a signed Response', () => {
  const signed = () => signElement(sampleResponse(), { id: '_response1', ...idp })

  it.each(responseLayouts)('%s: a new ID does not match the Reference', (_name, layout) => {
    const evil = naiveRead(signed(), layout, '_evil', (root) => root)
    expect(codeOf(evil)).toBe('SAML_SIGNATURE_REFERENCE_INVALID')
  })

  it.each(responseLayouts)('%s: the original ID is a duplicate', (_name, layout) => {
    const evil = naiveRead(signed(), layout, '_response1', (root) => root)
    expect(codeOf(evil)).toBe('SAML_DUPLICATE_ID')
  })
})

describe('signature wrapping of a signed Assertion', () => {
  const signed = () => signElement(sampleResponse(), { id: '_assertion1', ...idp })
  const expectedWithNewId: Record<string, string> = {
    XSW3: 'SAML_SIGNATURE_MISSING',
    XSW4: 'SAML_SIGNATURE_MISSING',
    XSW5: 'SAML_SIGNATURE_REFERENCE_INVALID',
    XSW6: 'SAML_SIGNATURE_REFERENCE_INVALID',
    XSW7: 'SAML_SIGNATURE_MISSING',
    XSW8: 'SAML_SIGNATURE_REFERENCE_INVALID',
  }
  const expectedWithSameId: Record<string, string> = {
    ...expectedWithNewId,
    XSW5: 'SAML_DUPLICATE_ID',
    XSW6: 'SAML_DUPLICATE_ID',
    XSW8: 'SAML_DUPLICATE_ID',
  }

  it.each(assertionLayouts)('%s: forged under a new ID', (name, layout) => {
    const evil = naiveRead(signed(), layout, '_evil', firstAssertion)
    expect(codeOf(evil)).toBe(expectedWithNewId[name.slice(0, 4)])
  })

  it.each(assertionLayouts)('%s: forged under the original ID', (name, layout) => {
    const evil = naiveRead(signed(), layout, '_assertion1', firstAssertion)
    expect(codeOf(evil)).toBe(expectedWithSameId[name.slice(0, 4)])
  })

  it('verifies only the moved original itself, never the node in its place', () => {
    const [, layout] = assertionLayouts[4] as [string, Layout]
    const doc = parseXml(signed())
    layout(doc, '_evil')
    const root = doc.documentElement as Element
    const moved = firstChildElement(
      firstChildElement(root, ns.samlp, 'Extensions') as Element,
      ns.saml,
      'Assertion',
    ) as Element
    const verified = verifyElementSignature(moved, { trustedCertificates: [idp.certificatePem] })
    expect(verified.element).toBe(moved)
    expect(verified.element).not.toBe(firstAssertion(root))
  })

  it('refuses a forged copy that keeps the Signature when the original is gone', () => {
    const doc = parseXml(signed())
    const original = assertionOf(doc)
    const evil = forge(original, '_assertion1')
    insertAfterIssuer(evil, signatureOf(original).cloneNode(true))
    original.parentNode?.replaceChild(evil, original)
    const received = firstAssertion(parseXml(serializeXml(doc)).documentElement as Element)
    expect(codeOf(received)).toBe('SAML_SIGNATURE_INVALID')
  })
})
