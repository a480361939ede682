import type { Document, Element, Text } from '@xmldom/xmldom'
import { beforeAll, describe, expect, it } from 'vitest'
import { SignedXml } from 'xml-crypto'
import { childElements, firstChildElement, ns, parseXml, textContent } from '../xml/index.ts'
import { digestAlgorithms, signatureAlgorithms, transforms } from './algorithm-ids.ts'
import { signElement } from './sign.ts'
import { createTestKey, sampleResponse, ssoErrorOf, type TestKey } from './test-support.ts'
import { verifyElementSignature } from './verify.ts'

/**
 * The verifier works in the caller's own tree: the Reference resolves to the element itself (its
 * ID proven unique), xml-crypto's canonicalizers digest that node, SignedInfo is canonicalized in
 * its own context. These cases pin that nothing outside the element stands in for it.
 */

let idp: TestKey

beforeAll(async () => {
  idp = await createTestKey('idp.example.com')
})

const trustIdp = () => ({ trustedCertificates: [idp.certificatePem] })

function signBoth(): string {
  const assertionSigned = signElement(sampleResponse(), { id: '_assertion1', ...idp })
  return signElement(assertionSigned, { id: '_response1', ...idp })
}

function assertionIn(doc: Document): Element {
  return doc.getElementsByTagNameNS(ns.saml, 'Assertion')[0] as Element
}

function signatureOf(element: Element): Element {
  return firstChildElement(element, ns.ds, 'Signature') as Element
}

function failureOf(element: Element): [string, string] {
  const error = ssoErrorOf(() => verifyElementSignature(element, trustIdp()))
  return [error.code, error.check]
}

/** Signs `xml`'s element `id` with xml-crypto directly, for shapes signElement does not write. */
function signWith(
  xml: string,
  id: string,
  options: { canonicalization: string; prefixList?: string[] },
): string {
  const signedXml = new SignedXml({
    privateKey: idp.privateKeyPem,
    signatureAlgorithm: signatureAlgorithms['rsa-sha256'],
    canonicalizationAlgorithm: options.canonicalization,
  })
  signedXml.addReference({
    xpath: `//*[@ID='${id}']`,
    transforms: [transforms.envelopedSignature, transforms.excC14n],
    digestAlgorithm: digestAlgorithms.sha256,
    inclusiveNamespacesPrefixList: options.prefixList,
  })
  signedXml.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `//*[@ID='${id}']`, action: 'prepend' },
  })
  return signedXml.getSignedXml()
}

describe('verification in the caller’s tree', () => {
  it('verifies both signatures of one parsed document, each over its own element', () => {
    const doc = parseXml(signBoth())
    const response = doc.documentElement
    const assertion = assertionIn(doc)
    expect(verifyElementSignature(assertion, trustIdp()).element).toBe(assertion)
    expect(verifyElementSignature(response, trustIdp()).element).toBe(response)
  })

  it('refuses a detached copy of the signed element: the ID resolves to attached nodes only', () => {
    const copy = assertionIn(parseXml(signBoth())).cloneNode(true) as Element
    expect(failureOf(copy)).toEqual(['SAML_SIGNATURE_REFERENCE_INVALID', 'ID'])
  })

  it('refuses a copy of the signed element nested inside it under the same ID', () => {
    const doc = parseXml(signBoth())
    const assertion = assertionIn(doc)
    const copy = assertion.cloneNode(true) as Element
    for (const signature of childElements(copy, ns.ds, 'Signature')) copy.removeChild(signature)
    const subject = firstChildElement(assertion, ns.saml, 'Subject') as Element
    subject.appendChild(copy)
    expect(failureOf(assertion)[0]).toBe('SAML_DUPLICATE_ID')
    // The Response's own ID is still unique; its digest covers the inserted copy.
    expect(failureOf(doc.documentElement)).toEqual(['SAML_SIGNATURE_INVALID', 'DigestValue'])
  })

  it('removes only the element’s own Signature: a copy of it deeper inside is digested', () => {
    const doc = parseXml(signBoth())
    const response = doc.documentElement
    // The same SignatureValue twice, the copy inside the signed Response: xml-crypto's enveloped
    // transform must not take the copy for the Signature it removes.
    const copy = signatureOf(response).cloneNode(true)
    firstChildElement(assertionIn(doc), ns.saml, 'Subject')?.appendChild(copy)
    expect(failureOf(response)).toEqual(['SAML_SIGNATURE_INVALID', 'DigestValue'])
  })

  it('reads what it hashed: a NameID changed in the tree after parsing no longer verifies', () => {
    const doc = parseXml(signBoth())
    const assertion = assertionIn(doc)
    const nameId = assertion.getElementsByTagNameNS(ns.saml, 'NameID')[0] as Element
    ;(nameId.firstChild as Text).data = 'admin@example.com'
    expect(textContent(nameId)).toBe('admin@example.com')
    expect(failureOf(assertion)).toEqual(['SAML_SIGNATURE_INVALID', 'DigestValue'])
    expect(failureOf(doc.documentElement)).toEqual(['SAML_SIGNATURE_INVALID', 'DigestValue'])
  })

  it('canonicalizes c14n 1.0 SignedInfo in its own context, for the inner and the outer signature', () => {
    // The Assertion declares a namespace of its own, so its SignedInfo has other ancestors'
    // namespaces in scope than the Response's (inclusive c14n renders them all).
    const xml = sampleResponse().replace(
      '<saml:Assertion ID="_assertion1"',
      `<saml:Assertion xmlns:xs="${ns.xs}" ID="_assertion1"`,
    )
    const inner = signWith(xml, '_assertion1', { canonicalization: transforms.c14n })
    const both = signWith(inner, '_response1', { canonicalization: transforms.c14n })
    const doc = parseXml(both)
    const assertion = assertionIn(doc)
    expect(verifyElementSignature(assertion, trustIdp()).element).toBe(assertion)
    const response = doc.documentElement
    expect(verifyElementSignature(response, trustIdp()).element).toBe(response)
  })

  it('applies an InclusiveNamespaces PrefixList from the signed Reference', () => {
    const signed = signWith(sampleResponse(), '_assertion1', {
      canonicalization: transforms.excC14n,
      prefixList: ['samlp'],
    })
    expect(signed).toContain('PrefixList="samlp"')
    const assertion = assertionIn(parseXml(signed))
    expect(verifyElementSignature(assertion, trustIdp()).element).toBe(assertion)
    const unlisted = signed.replace('PrefixList="samlp"', 'PrefixList=""')
    expect(failureOf(assertionIn(parseXml(unlisted)))[0]).toBe('SAML_SIGNATURE_INVALID')
  })
})
