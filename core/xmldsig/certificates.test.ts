import { X509Certificate } from 'node:crypto'
import type { Element } from '@xmldom/xmldom'
import { beforeAll, describe, expect, it } from 'vitest'
import { ns, parseXml } from '../xml/index.ts'
import { readTrustedCertificates } from './certificates.ts'
import { signElement } from './sign.ts'
import { createTestKey, sampleResponse, ssoErrorOf, type TestKey } from './test-support.ts'
import { verifyElementSignature } from './verify.ts'

let idp: TestKey
let attacker: TestKey

beforeAll(async () => {
  ;[idp, attacker] = await Promise.all([
    createTestKey('idp.example.com'),
    createTestKey('attacker.example'),
  ])
})

function assertionSignedBy(key: TestKey): Element {
  const xml = signElement(sampleResponse(), { id: '_assertion1', ...key })
  return parseXml(xml).getElementsByTagNameNS(ns.saml, 'Assertion')[0] as Element
}

const fingerprint = (key: TestKey) => new X509Certificate(key.certificatePem).fingerprint256

describe('readTrustedCertificates: parsed once per configured text', () => {
  it('hands back the same frozen record for the same text', () => {
    const [first] = readTrustedCertificates([idp.certificatePem])
    const [again] = readTrustedCertificates([idp.certificatePem])
    expect(again).toBe(first)
    expect(Object.isFrozen(first)).toBe(true)
    expect(first?.sha256).toBe(fingerprint(idp))
    expect(first?.rsaBits).toBe(2048)
  })

  it('keeps each text to its own certificate', () => {
    const [ours, theirs] = readTrustedCertificates([idp.certificatePem, attacker.certificatePem])
    expect(ours?.sha256).toBe(fingerprint(idp))
    expect(theirs?.sha256).toBe(fingerprint(attacker))
    expect(ours?.publicKey.equals(theirs?.publicKey as never)).toBe(false)
  })

  it('never lets a cached certificate verify another key’s signature', () => {
    const genuine = assertionSignedBy(idp)
    const forged = assertionSignedBy(attacker)
    const trustIdp = { trustedCertificates: [idp.certificatePem] }
    const trustAttacker = { trustedCertificates: [attacker.certificatePem] }
    expect(verifyElementSignature(genuine, trustIdp).certificateSha256).toBe(fingerprint(idp))
    expect(ssoErrorOf(() => verifyElementSignature(forged, trustIdp)).check).toBe('SignatureValue')
    // Both now cached: each still verifies only its own key's signatures.
    expect(verifyElementSignature(forged, trustAttacker).certificateSha256).toBe(
      fingerprint(attacker),
    )
    expect(ssoErrorOf(() => verifyElementSignature(genuine, trustAttacker)).check).toBe(
      'SignatureValue',
    )
    expect(ssoErrorOf(() => verifyElementSignature(forged, trustIdp)).check).toBe('SignatureValue')
  })

  it('refuses an unreadable text every time, and reads a good one after it', () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = ssoErrorOf(() =>
        readTrustedCertificates([idp.certificatePem, 'not a certificate']),
      )
      expect([error.code, error.evidence.index]).toEqual(['SAML_CERTIFICATE_INVALID', 1])
    }
    expect(readTrustedCertificates([idp.certificatePem])[0]?.sha256).toBe(fingerprint(idp))
  })
})
