import { SAML, ValidateInResponseTo } from '@node-saml/node-saml'
import type { Element } from '@xmldom/xmldom'
import { beforeAll, describe, expect, it } from 'vitest'
import { SignedXml } from 'xml-crypto'
import { createManualClock, systemClock } from '../../core/clock/index.ts'
import { type Credential, createCredential } from '../../core/keys/index.ts'
import { statusCodes } from '../../core/saml/constants.ts'
import {
  childElements,
  firstChildElement,
  ns,
  parseXml,
  serializeXml,
} from '../../core/xml/index.ts'
import { signElement } from '../../core/xmldsig/index.ts'
import { basicAttributes } from './attribute-profiles.ts'
import { buildResponse, type ResponseContent } from './build-response.ts'

const idpEntityId = 'http://127.0.0.1:7000/saml/metadata'
const spEntityId = 'http://127.0.0.1:7100/saml/metadata'
const acsUrl = 'http://127.0.0.1:7100/saml/acs'
/** Text that XML must escape, a CR and a tab that a parser would change if written raw, and non-ASCII. */
const awkward = 'AT&T <b> "quoted" \'single\' a\r\nb\tc ü 日本 &amp;'

let key: Credential

beforeAll(async () => {
  key = await createCredential({
    commonName: 'response signing test',
    clock: createManualClock('2030-01-01T00:00:00Z'),
  })
})

function content(now: number, attributes: Record<string, string[]> = {}): ResponseContent {
  return {
    id: '_response1',
    issuer: idpEntityId,
    destination: acsUrl,
    inResponseTo: undefined,
    issueInstant: now,
    status: { code: statusCodes.success },
    assertion: {
      id: '_assertion1',
      nameId: 'carol',
      nameIdFormat: 'unspecified',
      audience: spEntityId,
      recipient: acsUrl,
      notBefore: now,
      notOnOrAfter: now + 300_000,
      authnInstant: now,
      sessionIndex: '_session1',
      attributes: basicAttributes({
        name: ['Carol Chen'],
        customRoles: ['beta-tester', 'moderator'],
        ...attributes,
      }),
    },
  }
}

function signing(signResponse: boolean, signAssertion: boolean) {
  return {
    privateKeyPem: key.privateKeyPem,
    certificatePem: key.certificatePem,
    privateKey: key.privateKey,
    signResponse,
    signAssertion,
  }
}

/** Checks one ds:Signature with xml-crypto itself, trusting only the configured certificate. */
function xmlCryptoVerifies(xml: string, signature: Element | undefined): boolean {
  if (!signature) return false
  const verifier = new SignedXml({ publicCert: key.certificatePem, getCertFromKeyInfo: () => null })
  verifier.loadSignature(signature)
  try {
    return verifier.checkSignature(xml)
  } catch {
    return false
  }
}

function signatures(xml: string) {
  const response = parseXml(xml).documentElement
  const assertion = firstChildElement(response, ns.saml, 'Assertion')
  return {
    response: childElements(response, ns.ds, 'Signature')[0],
    assertion: assertion ? childElements(assertion, ns.ds, 'Signature')[0] : undefined,
  }
}

describe('buildResponse signs without parsing, and the signatures are the ones xml-crypto writes', () => {
  it('digests exactly what core/xmldsig signElement (xml-crypto) digests, PrefixList xs included', () => {
    const now = Date.parse('2030-01-01T12:00:00Z')
    const body = content(now, { note: [awkward] })
    const unsigned = buildResponse(body, signing(false, false))
    const withPrefixList = { ...key, inclusiveNamespacesPrefixList: ['xs'] }
    const byXmlCrypto = signElement(
      signElement(unsigned, { id: '_assertion1', ...withPrefixList }),
      {
        id: '_response1',
        ...withPrefixList,
      },
    )
    const ours = buildResponse(body, signing(true, true))
    // The Assertion's digest; the Response's differs only as the two spell InclusiveNamespaces
    // inside the Assertion's signature (ec: prefix here, a default namespace there).
    const assertionDigest = (xml: string) =>
      [...xml.matchAll(/<ds:DigestValue>([^<]+)</g)].map((m) => m[1])[1]
    expect(assertionDigest(ours)).toBeDefined()
    expect(assertionDigest(ours)).toBe(assertionDigest(byXmlCrypto))
    expect(ours.match(/PrefixList="xs"/g)).toHaveLength(2)
    expect(xmlCryptoVerifies(ours, signatures(ours).assertion)).toBe(true)
    expect(xmlCryptoVerifies(ours, signatures(ours).response)).toBe(true)
    // The PEM alone (as tests pass it) gives the same bytes as the parsed KeyObject.
    const { privateKey: _parsed, ...pemOnly } = signing(true, true)
    expect(buildResponse(body, pemOnly)).toBe(ours)
  })

  it('signs the binding of xs behind xsi:type="xs:string": rebinding it breaks both signatures', () => {
    const xml = buildResponse(content(Date.now()), signing(true, true))
    const rebound = xml.replace(
      'xmlns:xs="http://www.w3.org/2001/XMLSchema"',
      'xmlns:xs="urn:example:not-xml-schema"',
    )
    expect(rebound).not.toBe(xml)
    expect(xmlCryptoVerifies(rebound, signatures(rebound).assertion)).toBe(false)
    expect(xmlCryptoVerifies(rebound, signatures(rebound).response)).toBe(false)
  })

  it('writes a failure Response (no Assertion) with the Response signature only', () => {
    const now = Date.parse('2030-01-01T12:00:00Z')
    const failure = {
      ...content(now),
      assertion: undefined,
      status: { code: statusCodes.responder, subCode: statusCodes.authnFailed, message: awkward },
    }
    const xml = buildResponse(failure, signing(true, true))
    expect(xml).toBe(
      signElement(buildResponse(failure, signing(false, false)), { id: '_response1', ...key }),
    )
    expect(xmlCryptoVerifies(xml, signatures(xml).response)).toBe(true)
    expect(signatures(xml).assertion).toBeUndefined()
  })

  it('both signatures verify with xml-crypto; a changed attribute value breaks the Assertion’s', () => {
    const xml = buildResponse(content(Date.now(), { note: [awkward] }), signing(true, true))
    const { response, assertion } = signatures(xml)
    expect(xmlCryptoVerifies(xml, assertion)).toBe(true)
    expect(xmlCryptoVerifies(xml, response)).toBe(true)

    const tampered = xml.replace('Carol Chen', 'Mallory')
    expect(xmlCryptoVerifies(tampered, signatures(tampered).assertion)).toBe(false)
    expect(xmlCryptoVerifies(tampered, signatures(tampered).response)).toBe(false)
  })

  it('puts the certificate of the key it signs with in KeyInfo, key after key', async () => {
    const other = await createCredential({
      commonName: 'response signing test, the next key',
      clock: createManualClock('2030-01-01T00:00:00Z'),
    })
    const keyInfo = (xml: string) =>
      [...xml.matchAll(/<ds:X509Certificate>([^<]+)</g)].map((m) => m[1])
    const body = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '')
    for (const credential of [key, other, key]) {
      const xml = buildResponse(content(Date.now()), {
        ...signing(true, true),
        privateKeyPem: credential.privateKeyPem,
        certificatePem: credential.certificatePem,
        privateKey: credential.privateKey,
      })
      expect(keyInfo(xml)).toEqual([
        body(credential.certificatePem),
        body(credential.certificatePem),
      ])
    }
  })

  it('writes each time of the message as its own second, when some share one and some do not', () => {
    const now = Date.parse('2030-01-01T12:00:00.999Z')
    const body = content(now)
    if (!body.assertion) throw new Error('the sample has an Assertion')
    body.assertion.notBefore = now - 999 // the same second
    body.assertion.authnInstant = now - 1_000 // the second before
    body.assertion.notOnOrAfter = now + 1 // the next
    const response = parseXml(buildResponse(body, signing(true, true))).documentElement
    const times = (local: string, name: string) =>
      Array.from(response?.getElementsByTagNameNS(ns.saml, local) ?? []).map((node) =>
        node.getAttribute(name),
      )
    expect(response?.getAttribute('IssueInstant')).toBe('2030-01-01T12:00:00Z')
    expect(times('Assertion', 'IssueInstant')).toEqual(['2030-01-01T12:00:00Z'])
    expect(times('Conditions', 'NotBefore')).toEqual(['2030-01-01T12:00:00Z'])
    expect(times('AuthnStatement', 'AuthnInstant')).toEqual(['2030-01-01T11:59:59Z'])
    expect(times('Conditions', 'NotOnOrAfter')).toEqual(['2030-01-01T12:00:01Z'])
    expect(times('SubjectConfirmationData', 'NotOnOrAfter')).toEqual(['2030-01-01T12:00:01Z'])
  })

  it('reads back every value exactly, escaped characters included', () => {
    const xml = buildResponse(content(Date.now(), { note: [awkward] }), signing(true, true))
    const values = parseXml(xml).getElementsByTagNameNS(ns.saml, 'AttributeValue')
    expect(Array.from(values).map((value) => value.textContent)).toContain(awkward)
    expect(serializeXml(parseXml(xml))).toContain('xsi:type="xs:string"')
  })

  it('is accepted by @node-saml/node-saml with both signatures required', async () => {
    const xml = buildResponse(content(systemClock.now(), { note: [awkward] }), signing(true, true))
    const saml = new SAML({
      idpCert: key.certificatePem,
      issuer: spEntityId,
      callbackUrl: acsUrl,
      audience: spEntityId,
      idpIssuer: idpEntityId,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: true,
      validateInResponseTo: ValidateInResponseTo.never,
    })
    const { profile } = await saml.validatePostResponseAsync({
      SAMLResponse: Buffer.from(xml, 'utf8').toString('base64'),
    })
    expect(profile?.nameID).toBe('carol')
    expect(profile?.note).toBe(awkward)
  })
})
