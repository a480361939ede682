import { X509Certificate } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import type { Element } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { childElements, ns, parseXml } from '../xml/index.ts'
import { ssoErrorOf } from './test-support.ts'
import { verifyElementSignature } from './verify.ts'

/**
 * Signatures of the public python3-saml corpus (README.md and manifest.json there). Its accepts
 * are RSA-SHA1 with 1024-bit keys, so they need legacy mode (allowSha1).
 */
const corpus = new URL('../../../shared/corpus/python3-saml/', import.meta.url)

interface Entry {
  file: string
  expect: 'accept' | 'reject'
  encrypted: boolean
  idp: { cert: string }
}

function corpusText(name: string): string {
  const url = new URL(name, corpus)
  if (!existsSync(url)) {
    throw new Error(
      `python3-saml corpus file missing: ${url.pathname} (the corpus must sit at ../shared/corpus/python3-saml beside the repository)`,
    )
  }
  return readFileSync(url, 'utf8')
}

function response(file: string): Element {
  const xml = Buffer.from(corpusText(file), 'base64').toString('utf8')
  return parseXml(xml).documentElement
}

function legacy(cert: string) {
  return { trustedCertificates: [corpusText(cert)], allowSha1: true }
}

const manifest = JSON.parse(corpusText('manifest.json')) as Entry[]
const signedAccepts = manifest.filter((entry) => entry.expect === 'accept' && !entry.encrypted)

describe('python3-saml corpus', () => {
  it('holds the accept entries this suite relies on', () => {
    expect(signedAccepts.map((entry) => entry.file)).toEqual(
      expect.arrayContaining(['valid_response.xml.base64', 'signed_assertion_response.xml.base64']),
    )
  })

  it('verifies both signatures of valid_response, with the configured certificate', () => {
    const root = response('valid_response.xml.base64')
    const certificate = corpusText('idp-cert-settings1.pem')
    const assertion = childElements(root, ns.saml, 'Assertion')[0] as Element
    for (const element of [root, assertion]) {
      const verified = verifyElementSignature(element, legacy('idp-cert-settings1.pem'))
      expect(verified.element).toBe(element)
      expect(verified.signatureAlgorithm).toBe('rsa-sha1')
      expect(verified.certificateSha256).toBe(new X509Certificate(certificate).fingerprint256)
    }
  })

  it('refuses the same response outside legacy mode', () => {
    const root = response('valid_response.xml.base64')
    const options = { trustedCertificates: [corpusText('idp-cert-settings1.pem')] }
    expect(ssoErrorOf(() => verifyElementSignature(root, options)).code).toBe('SAML_SIGNATURE_SHA1')
  })

  it('verifies the Assertion of signed_assertion_response, whose Response is unsigned', () => {
    const root = response('signed_assertion_response.xml.base64')
    const assertion = childElements(root, ns.saml, 'Assertion')[0] as Element
    expect(verifyElementSignature(assertion, legacy('idp-cert-settings1.pem')).element).toBe(
      assertion,
    )
    expect(
      ssoErrorOf(() => verifyElementSignature(root, legacy('idp-cert-settings1.pem'))).code,
    ).toBe('SAML_SIGNATURE_MISSING')
  })

  it('refuses valid_response2 under the other IdP certificate', () => {
    const root = response('valid_response2.xml.base64')
    expect(verifyElementSignature(root, legacy('idp-cert-settings2.pem')).element).toBe(root)
    expect(
      ssoErrorOf(() => verifyElementSignature(root, legacy('idp-cert-settings1.pem'))).code,
    ).toBe('SAML_SIGNATURE_INVALID')
  })

  it.each(signedAccepts.map((entry) => [entry.file, entry] as const))(
    'accept entry %s carries a signature that verifies',
    (_file, entry) => {
      const root = response(entry.file)
      const candidates = [root, ...childElements(root, ns.saml, 'Assertion')]
      const verified = candidates.filter((element) => {
        try {
          return verifyElementSignature(element, legacy(entry.idp.cert)).element === element
        } catch {
          return false
        }
      })
      expect(verified.length).toBeGreaterThan(0)
    },
  )

  it('refuses what a naive reader takes from invalids/signature_wrapping_attack', () => {
    const root = response('invalids/signature_wrapping_attack.xml.base64')
    const options = legacy('idp-cert-settings1.pem')
    const assertion = childElements(root, ns.saml, 'Assertion')[0] as Element
    expect(ssoErrorOf(() => verifyElementSignature(root, options)).code).toBe(
      'SAML_SIGNATURE_MISSING',
    )
    expect(ssoErrorOf(() => verifyElementSignature(assertion, options)).code).toBe(
      'SAML_SIGNATURE_MISSING',
    )
    const hidden = root.getElementsByTagNameNS(ns.samlp, 'Response')[0] as Element
    expect(hidden).not.toBe(root)
    expect(ssoErrorOf(() => verifyElementSignature(hidden, options)).code).toBe('SAML_DUPLICATE_ID')
  })

  it('refuses the unsigned Assertion placed before the signed one in response4', () => {
    const root = response('response4.xml.base64')
    const first = childElements(root, ns.saml, 'Assertion')[0] as Element
    expect(
      ssoErrorOf(() => verifyElementSignature(first, legacy('idp-cert-settings1.pem'))).code,
    ).toBe('SAML_SIGNATURE_MISSING')
  })
})
