import type { Element } from '@xmldom/xmldom'
import { beforeAll, describe, expect, it } from 'vitest'
import { attr, childElements, firstChildElement, ns, parseXml } from '../xml/index.ts'
import { digestAlgorithms, signatureAlgorithms, transforms } from './algorithm-ids.ts'
import { signElement } from './sign.ts'
import { createTestKey, sampleResponse, type TestKey } from './test-support.ts'
import { verifyElementSignature } from './verify.ts'

let key: TestKey

beforeAll(async () => {
  key = await createTestKey('idp.example.com')
})

function signatureOf(element: Element): Element {
  const [signature] = childElements(element, ns.ds, 'Signature')
  if (!signature) throw new Error('no signature')
  return signature
}

function algorithmOf(parent: Element, localName: string): string | undefined {
  const found = parent.getElementsByTagNameNS(ns.ds, localName)[0]
  return found ? attr(found, 'Algorithm') : undefined
}

describe('signElement', () => {
  it('writes an enveloped ds: signature right after the Issuer, per saml-core 5.4', () => {
    const doc = parseXml(signElement(sampleResponse(), { id: '_assertion1', ...key }))
    const assertion = doc.getElementsByTagNameNS(ns.saml, 'Assertion')[0] as Element
    const children = childElements(assertion)
    expect(children.map((el) => el.localName).slice(0, 3)).toEqual([
      'Issuer',
      'Signature',
      'Subject',
    ])
    const signature = signatureOf(assertion)
    expect(signature.prefix).toBe('ds')
    expect(algorithmOf(signature, 'CanonicalizationMethod')).toBe(transforms.excC14n)
    expect(algorithmOf(signature, 'SignatureMethod')).toBe(signatureAlgorithms['rsa-sha256'])
    expect(algorithmOf(signature, 'DigestMethod')).toBe(digestAlgorithms.sha256)
    const references = signature.getElementsByTagNameNS(ns.ds, 'Reference')
    expect(references).toHaveLength(1)
    expect(attr(references[0] as Element, 'URI')).toBe('#_assertion1')
    const transformList = Array.from(signature.getElementsByTagNameNS(ns.ds, 'Transform'))
    expect(transformList.map((el) => attr(el, 'Algorithm'))).toEqual([
      transforms.envelopedSignature,
      transforms.excC14n,
    ])
    expect(signature.getElementsByTagNameNS(ns.ds, 'X509Certificate')).toHaveLength(1)
  })

  it('puts the signature first when the element has no Issuer', () => {
    const xml = `<samlp:LogoutResponse xmlns:samlp="${ns.samlp}" ID="_lr1"><samlp:Status/></samlp:LogoutResponse>`
    const root = parseXml(signElement(xml, { id: '_lr1', ...key })).documentElement
    expect(childElements(root).map((el) => el.localName)).toEqual(['Signature', 'Status'])
  })

  it('leaves KeyInfo out on request', () => {
    const doc = parseXml(
      signElement(sampleResponse(), { id: '_response1', ...key, includeKeyInfo: false }),
    )
    const signature = signatureOf(doc.documentElement)
    expect(firstChildElement(signature, ns.ds, 'KeyInfo')).toBeUndefined()
  })

  it.each([
    ['rsa-sha384', 'sha384'],
    ['rsa-sha512', 'sha512'],
    ['rsa-sha1', 'sha1'],
  ] as const)('signs with %s and %s', (signatureAlgorithm, digestAlgorithm) => {
    const xml = signElement(sampleResponse(), {
      id: '_response1',
      ...key,
      signatureAlgorithm,
      digestAlgorithm,
    })
    const root = parseXml(xml).documentElement
    const verified = verifyElementSignature(root, {
      trustedCertificates: [key.certificatePem],
      allowSha1: true,
    })
    expect(verified.signatureAlgorithm).toBe(signatureAlgorithm)
    expect(verified.digestAlgorithm).toBe(digestAlgorithm)
  })

  it('refuses an id that is missing, duplicated, not an NCName, or already signed', () => {
    expect(() => signElement(sampleResponse(), { id: '_nope', ...key })).toThrow(TypeError)
    const twice = sampleResponse().replace('ID="_assertion1"', 'ID="_response1"')
    expect(() => signElement(twice, { id: '_response1', ...key })).toThrow(/2 elements/)
    expect(() => signElement(sampleResponse(), { id: "x' or '1'='1", ...key })).toThrow(/xs:ID/)
    const signed = signElement(sampleResponse(), { id: '_response1', ...key })
    expect(() => signElement(signed, { id: '_response1', ...key })).toThrow(/already signed/)
  })
})
