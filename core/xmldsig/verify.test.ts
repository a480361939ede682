import { randomBytes, X509Certificate } from 'node:crypto'
import { DOMParser, type Document, type Element, type Text } from '@xmldom/xmldom'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Finding } from '../errors/index.ts'
import {
  childElements,
  ns,
  ownerDocumentOf,
  parseXml,
  serializeXml,
  textContent,
} from '../xml/index.ts'
import { signElement } from './sign.ts'
import { createTestKey, sampleResponse, ssoErrorOf, type TestKey } from './test-support.ts'
import { verifyElementSignature } from './verify.ts'

let idp: TestKey
let attacker: TestKey
let weak: TestKey

beforeAll(async () => {
  ;[idp, attacker, weak] = await Promise.all([
    createTestKey('idp.example.com'),
    createTestKey('attacker.example'),
    createTestKey('legacy.example', 1024),
  ])
})

const trustIdp = () => ({ trustedCertificates: [idp.certificatePem] })

function signAssertion(key: TestKey = idp, extra: object = {}, nameId?: string): string {
  return signElement(sampleResponse(nameId), { id: '_assertion1', ...key, ...extra })
}

function signBoth(): string {
  return signElement(signAssertion(), { id: '_response1', ...idp })
}

function assertionIn(doc: Document): Element {
  return doc.getElementsByTagNameNS(ns.saml, 'Assertion')[0] as Element
}

/** Parses `xml`, lets `edit` change the tree, and returns the Assertion as a receiver parses it. */
function receivedAssertion(xml: string, edit: (doc: Document) => void = () => {}): Element {
  const doc = parseXml(xml)
  edit(doc)
  return assertionIn(parseXml(serializeXml(doc)))
}

function codeOf(element: Element, options: { allowSha1?: boolean } = {}): string {
  return ssoErrorOf(() => verifyElementSignature(element, { ...trustIdp(), ...options })).code
}

function ds(doc: Document, localName: string, index = 0): Element {
  return doc.getElementsByTagNameNS(ns.ds, localName)[index] as Element
}

describe('verifyElementSignature: accepted', () => {
  it('returns the very node it was given, with the algorithms and the trusted fingerprint', () => {
    const assertion = assertionIn(parseXml(signAssertion()))
    const verified = verifyElementSignature(assertion, trustIdp())
    expect(verified.element).toBe(assertion)
    expect(verified.signatureAlgorithm).toBe('rsa-sha256')
    expect(verified.digestAlgorithm).toBe('sha256')
    expect(verified.certificateSha256).toBe(new X509Certificate(idp.certificatePem).fingerprint256)
  })

  it('verifies the Assertion and then the Response that encloses it', () => {
    const doc = parseXml(signBoth())
    const response = doc.documentElement
    expect(verifyElementSignature(response, trustIdp()).element).toBe(response)
    const assertion = assertionIn(doc)
    expect(verifyElementSignature(assertion, trustIdp()).element).toBe(assertion)
  })

  it('accepts a bare base64 DER certificate and tries every trusted certificate', () => {
    const bare = idp.certificatePem.replace(/-----[A-Z ]+-----|\s/g, '')
    const assertion = assertionIn(parseXml(signAssertion()))
    const verified = verifyElementSignature(assertion, {
      trustedCertificates: [attacker.certificatePem, bare],
    })
    expect(verified.certificateSha256).toBe(new X509Certificate(idp.certificatePem).fingerprint256)
  })

  it('still verifies a NameID split by a comment, and textContent reads all of it', () => {
    const signed = signAssertion(idp, {}, 'victim@corp.com.evil.com')
    const injected = signed.replace('victim@corp.com.evil.com', 'victim@corp.com<!---->.evil.com')
    const assertion = assertionIn(parseXml(injected))
    verifyElementSignature(assertion, trustIdp())
    const nameId = assertion.getElementsByTagNameNS(ns.saml, 'NameID')[0] as Element
    expect(textContent(nameId)).toBe('victim@corp.com.evil.com')
  })
})

describe('verifyElementSignature: refused', () => {
  it('refuses an attribute value changed after signing', () => {
    const tampered = signAssertion().replace('>user<', '>admin<')
    const error = ssoErrorOf(() => verifyElementSignature(receivedAssertion(tampered), trustIdp()))
    expect(error.code).toBe('SAML_SIGNATURE_INVALID')
    expect(error.check).toBe('DigestValue')
  })

  it('refuses a change inside an Assertion covered by the Response signature', () => {
    const tampered = signBoth().replace('alice@example.com', 'admin@example.com')
    const response = parseXml(tampered).documentElement
    expect(codeOf(response)).toBe('SAML_SIGNATURE_INVALID')
  })

  it('ignores KeyInfo: an attacker key with its certificate in KeyInfo does not verify', () => {
    const forged = assertionIn(parseXml(signAssertion(attacker)))
    const error = ssoErrorOf(() => verifyElementSignature(forged, trustIdp()))
    expect(error.code).toBe('SAML_SIGNATURE_INVALID')
    expect(error.check).toBe('SignatureValue')
    expect(error.evidence.keyInfoCertificate).toBe(true)
    expect(error.evidence.keyInfoCertificateTrusted).toBe(false)
    expect(error.evidence.keyInfoCertificateSha256).toBe(
      new X509Certificate(attacker.certificatePem).fingerprint256,
    )
    const body = attacker.certificatePem.split('\n')[1] as string
    expect(JSON.stringify(error.evidence)).not.toContain(body)
    expect(JSON.stringify(error.evidence)).not.toContain('<')
  })

  it('refuses an element whose signature was removed', () => {
    const stripped = receivedAssertion(signAssertion(), (doc) => {
      const signature = ds(doc, 'Signature')
      signature.parentNode?.removeChild(signature)
    })
    expect(codeOf(stripped)).toBe('SAML_SIGNATURE_MISSING')
  })

  it('refuses an empty or garbage SignatureValue', () => {
    const pattern = /<ds:SignatureValue>[^<]*<\/ds:SignatureValue>/
    const empty = signAssertion().replace(pattern, '<ds:SignatureValue></ds:SignatureValue>')
    const emptyError = ssoErrorOf(() =>
      verifyElementSignature(receivedAssertion(empty), trustIdp()),
    )
    expect([emptyError.code, emptyError.check]).toEqual([
      'SAML_SIGNATURE_INVALID',
      'SignatureValue',
    ])
    const garbage = signAssertion().replace(
      pattern,
      `<ds:SignatureValue>${randomBytes(256).toString('base64')}</ds:SignatureValue>`,
    )
    expect(codeOf(receivedAssertion(garbage))).toBe('SAML_SIGNATURE_INVALID')
  })

  it.each(['DigestValue', 'SignatureValue'])('refuses a comment inside %s', (localName) => {
    const assertion = receivedAssertion(signAssertion(), (doc) => {
      const value = ds(doc, localName)
      const rest = (value.firstChild as Text).splitText(4)
      value.insertBefore(doc.createComment(''), rest)
    })
    const error = ssoErrorOf(() => verifyElementSignature(assertion, trustIdp()))
    expect([error.code, error.check]).toEqual(['SAML_SIGNATURE_INVALID', localName])
  })

  it('refuses rsa-sha1 with its own code; legacy mode accepts it with warnings', () => {
    const sha1 = assertionIn(
      parseXml(signAssertion(idp, { signatureAlgorithm: 'rsa-sha1', digestAlgorithm: 'sha1' })),
    )
    const error = ssoErrorOf(() => verifyElementSignature(sha1, trustIdp()))
    expect([error.code, error.check]).toEqual(['SAML_SIGNATURE_SHA1', 'SignatureMethod'])
    expect(error.evidence.algorithm).toBe('rsa-sha1')
    const warnings: Finding[] = []
    const verified = verifyElementSignature(sha1, {
      ...trustIdp(),
      allowSha1: true,
      onWarning: (warning) => warnings.push(warning),
    })
    expect(verified.signatureAlgorithm).toBe('rsa-sha1')
    expect(verified.digestAlgorithm).toBe('sha1')
    expect(warnings.map((warning) => [warning.code, warning.check])).toEqual([
      ['SAML_SIGNATURE_SHA1', 'SignatureMethod'],
      ['SAML_DIGEST_SHA1', 'DigestMethod'],
    ])
    expect(warnings[0]?.reason).toContain('accepted: legacy crypto is allowed')
  })

  it('refuses a sha1 digest under rsa-sha256 with its own code', () => {
    const assertion = assertionIn(parseXml(signAssertion(idp, { digestAlgorithm: 'sha1' })))
    const error = ssoErrorOf(() => verifyElementSignature(assertion, trustIdp()))
    expect([error.code, error.check]).toEqual(['SAML_DIGEST_SHA1', 'DigestMethod'])
  })

  it.each([
    ['hmac-sha1', 'http://www.w3.org/2000/09/xmldsig#hmac-sha1'],
    ['dsa-sha1', 'http://www.w3.org/2000/09/xmldsig#dsa-sha1'],
    ['ecdsa-sha256', 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256'],
    ['unrecognised', 'urn:evil:<script>'],
  ])('refuses %s even in legacy mode', (label, uri) => {
    const assertion = receivedAssertion(signAssertion(), (doc) => {
      ds(doc, 'SignatureMethod').setAttribute('Algorithm', uri)
    })
    const error = ssoErrorOf(() =>
      verifyElementSignature(assertion, { ...trustIdp(), allowSha1: true }),
    )
    expect(error.code).toBe('SAML_SIGNATURE_ALGORITHM_FORBIDDEN')
    expect(error.evidence.algorithm).toBe(label)
  })

  it('refuses a trusted RSA key under 2048 bits; legacy mode accepts it with a warning', () => {
    const assertion = assertionIn(parseXml(signAssertion(weak)))
    const options = { trustedCertificates: [weak.certificatePem] }
    const error = ssoErrorOf(() => verifyElementSignature(assertion, options))
    expect([error.code, error.check]).toEqual(['SAML_SIGNING_KEY_TOO_SHORT', 'Certificate'])
    expect(error.evidence.keyBits).toBe(1024)
    const warnings: Finding[] = []
    const verified = verifyElementSignature(assertion, {
      ...options,
      allowSha1: true,
      onWarning: (warning) => warnings.push(warning),
    })
    expect(verified.element).toBe(assertion)
    expect(warnings.map((warning) => warning.code)).toEqual(['SAML_SIGNING_KEY_TOO_SHORT'])
  })

  // The test certificates are valid from 2030-01-01 through 2031-01-01 (RFC 5280: both ends in).
  it.each([
    ['2029-12-31T23:59:59Z', 'SAML_IDP_CERTIFICATE_NOT_YET_VALID'],
    ['2031-01-01T00:00:01Z', 'SAML_IDP_CERTIFICATE_EXPIRED'],
  ])('at %s, refuses the certificate that verified with %s', (at, code) => {
    const assertion = assertionIn(parseXml(signAssertion()))
    const options = { ...trustIdp(), certificateValidityAt: Date.parse(at) }
    const error = ssoErrorOf(() => verifyElementSignature(assertion, options))
    expect([error.code, error.check]).toEqual([code, 'Certificate'])
    expect(error.evidence.notAfter).toBe('2031-01-01T00:00:00.000Z')
    const warnings: Finding[] = []
    verifyElementSignature(assertion, {
      ...options,
      ignoreCertificateValidity: true,
      onWarning: (warning) => warnings.push(warning),
    })
    expect(warnings.map((warning) => warning.code)).toEqual([code])
  })

  it.each(['2030-01-01T00:00:00Z', '2031-01-01T00:00:00Z'])(
    'accepts the certificate at the edge of its window, %s',
    (at) => {
      const assertion = assertionIn(parseXml(signAssertion()))
      const options = { ...trustIdp(), certificateValidityAt: Date.parse(at) }
      expect(verifyElementSignature(assertion, options).element).toBe(assertion)
    },
  )

  it('refuses a Reference to another element', () => {
    const signed = signElement(sampleResponse(), { id: '_response1', ...idp })
    const retargeted = signed.replace('URI="#_response1"', 'URI="#_assertion1"')
    expect(codeOf(parseXml(retargeted).documentElement)).toBe('SAML_SIGNATURE_REFERENCE_INVALID')
  })

  it('refuses a signature moved under an element it does not reference', () => {
    const response = parseXml(signAssertion()).documentElement
    const signature = childElements(assertionIn(ownerDocumentOf(response)), ns.ds, 'Signature')[0]
    response.insertBefore(signature as Element, response.firstChild)
    expect(codeOf(response)).toBe('SAML_SIGNATURE_REFERENCE_INVALID')
  })

  it.each([
    ['a second Reference', 'Reference', 'SignedInfo'],
    ['a second SignedInfo', 'SignedInfo', 'Signature'],
  ])('refuses %s', (_name, localName, parentName) => {
    const assertion = receivedAssertion(signAssertion(), (doc) => {
      ds(doc, parentName).appendChild(ds(doc, localName).cloneNode(true))
    })
    expect(codeOf(assertion)).toBe('SAML_SIGNATURE_REFERENCE_INVALID')
  })

  // The 2024–2025 ruby-saml and xml-crypto advisories: a reader that searches the whole
  // Signature for these finds the copy outside SignedInfo, which the signature does not cover.
  it.each([
    ['Reference', 'SAML_SIGNATURE_REFERENCE_INVALID'],
    ['DigestValue', 'SAML_SIGNATURE_INVALID'],
  ])('refuses a second %s in a ds:Object, outside SignedInfo', (localName, code) => {
    const assertion = receivedAssertion(signAssertion(), (doc) => {
      const object = doc.createElementNS(ns.ds, 'ds:Object')
      object.appendChild(ds(doc, localName).cloneNode(true))
      ds(doc, 'Signature').appendChild(object)
    })
    const error = ssoErrorOf(() => verifyElementSignature(assertion, trustIdp()))
    expect([error.code, error.check, error.evidence.found]).toEqual([code, localName, 2])
  })

  it('refuses two signatures on one element', () => {
    const assertion = receivedAssertion(signAssertion(), (doc) => {
      const signature = ds(doc, 'Signature')
      signature.parentNode?.appendChild(signature.cloneNode(true))
    })
    expect(codeOf(assertion)).toBe('SAML_SIGNATURE_REFERENCE_INVALID')
  })

  it('refuses an element without an ID', () => {
    const assertion = receivedAssertion(signAssertion(), (doc) => {
      assertionIn(doc).removeAttribute('ID')
    })
    const error = ssoErrorOf(() => verifyElementSignature(assertion, trustIdp()))
    expect([error.code, error.check]).toEqual(['SAML_SIGNATURE_REFERENCE_INVALID', 'ID'])
  })

  it.each([
    ['an evil copy with the same ID', '<saml:Assertion ID="_assertion1"/>'],
    ['a decoy under another ID spelling', '<saml:Assertion xmlns:w="urn:w" w:Id="_assertion1"/>'],
  ])('refuses %s elsewhere in the document', (_name, decoy) => {
    const xml = signAssertion().replace('<samlp:Status>', `${decoy}<samlp:Status>`)
    const doc = parseXml(xml)
    const signed = doc.getElementsByTagNameNS(ns.saml, 'Assertion')[1] as Element
    expect(codeOf(signed)).toBe('SAML_DUPLICATE_ID')
  })

  it.each([
    ['XSLT', 'Transform', 'http://www.w3.org/TR/1999/REC-xslt-19991116', 'xslt'],
    ['XPath', 'Transform', 'http://www.w3.org/TR/1999/REC-xpath-19991116', 'xpath'],
    [
      'exc-c14n WithComments',
      'CanonicalizationMethod',
      'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
      'exc-c14n-with-comments',
    ],
  ])('refuses the %s transform', (_name, localName, uri, label) => {
    const assertion = receivedAssertion(signAssertion(), (doc) => {
      ds(doc, localName).setAttribute('Algorithm', uri)
    })
    const error = ssoErrorOf(() => verifyElementSignature(assertion, trustIdp()))
    expect([error.code, error.check]).toEqual(['SAML_SIGNATURE_TRANSFORM_FORBIDDEN', localName])
    expect(error.evidence.algorithm).toBe(label)
  })

  it('refuses a RetrievalMethod in KeyInfo', () => {
    const assertion = receivedAssertion(signAssertion(), (doc) => {
      const retrieval = doc.createElementNS(ns.ds, 'ds:RetrievalMethod')
      retrieval.setAttribute('URI', 'https://evil.example/key')
      ds(doc, 'KeyInfo').appendChild(retrieval)
    })
    const error = ssoErrorOf(() => verifyElementSignature(assertion, trustIdp()))
    expect([error.code, error.check]).toEqual(['SAML_SIGNATURE_TRANSFORM_FORBIDDEN', 'KeyInfo'])
  })

  it('refuses trusted certificates that cannot be read', () => {
    const assertion = assertionIn(parseXml(signAssertion()))
    const unreadable = ssoErrorOf(() =>
      verifyElementSignature(assertion, { trustedCertificates: ['not a certificate'] }),
    )
    expect(unreadable.code).toBe('SAML_CERTIFICATE_INVALID')
    const none = ssoErrorOf(() => verifyElementSignature(assertion, { trustedCertificates: [] }))
    expect(none.code).toBe('SAML_CERTIFICATE_INVALID')
  })

  it('refuses a processing instruction that xml-crypto would canonicalize as text', () => {
    const signed = signAssertion(idp, {}, 'victim@corp.com.evil.com')
    const injected = signed.replace('victim@corp.com.evil.com', 'victim@corp.com<?x .evil.com?>')
    expect(ssoErrorOf(() => parseXml(injected)).code).toBe('XML_PROCESSING_INSTRUCTION_FORBIDDEN')
    const lenient = new DOMParser().parseFromString(injected, 'text/xml')
    expect(codeOf(assertionIn(lenient))).toBe('XML_PROCESSING_INSTRUCTION_FORBIDDEN')
  })

  it('digests the caller’s node, not a re-parsed copy that would hide a difference', () => {
    const doc = parseXml(signAssertion(idp, {}, 'line one\nline two'))
    const nameId = doc.getElementsByTagNameNS(ns.saml, 'NameID')[0] as Element
    // The caller's tree now reads a CR where the signed text has a LF; serialized raw, the CR
    // would parse back as LF, so a verifier working on a re-parsed copy would see a match.
    ;(nameId.firstChild as Text).data = 'line one\rline two'
    const error = ssoErrorOf(() => verifyElementSignature(assertionIn(doc), trustIdp()))
    expect([error.code, error.check]).toEqual(['SAML_SIGNATURE_INVALID', 'DigestValue'])
  })
})
