import { describe, expect, it } from 'vitest'
import { testCredentials } from '../../tests/fixtures/in-process.ts'
import { SsoError } from '../errors/index.ts'
import { attr, ns } from '../xml/index.ts'
import { signElement, verifyElementSignature } from '../xmldsig/index.ts'
import { readSoapEnvelope, soapEnvelope, soapFault } from './soap.ts'

const resolve =
  '<samlp:ArtifactResolve xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2030-01-01T00:00:00Z"><saml:Issuer>https://sp.example</saml:Issuer><samlp:Artifact>AAQAAA==</samlp:Artifact></samlp:ArtifactResolve>'

function errorOf(action: () => unknown): SsoError | undefined {
  try {
    action()
    return undefined
  } catch (error) {
    if (error instanceof SsoError) return error
    throw error
  }
}

const envelope = (body: string, header = '') =>
  `<soapenv:Envelope xmlns:soapenv="${ns.soapenv}">${header}<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`

describe('SOAP 1.1 envelope for the SAML SOAP binding', () => {
  it('wraps one message in Envelope/Body and reads it back, namespaces intact', () => {
    const text = soapEnvelope(resolve)
    expect(text.startsWith('<soapenv:Envelope')).toBe(true)
    const body = readSoapEnvelope(text)
    if (body.kind !== 'message') throw new Error('expected a message')
    expect(body.element.namespaceURI).toBe(ns.samlp)
    expect(body.element.localName).toBe('ArtifactResolve')
    expect(attr(body.element, 'ID')).toBe('_r1')
  })

  it('keeps an enveloped signature valid through wrapping and unwrapping', async () => {
    const { sp } = await testCredentials()
    const signed = signElement(resolve, {
      id: '_r1',
      privateKeyPem: sp.privateKeyPem,
      certificatePem: sp.certificatePem,
    })
    const body = readSoapEnvelope(soapEnvelope(signed))
    if (body.kind !== 'message') throw new Error('expected a message')
    const verified = verifyElementSignature(body.element, {
      trustedCertificates: [sp.certificatePem],
    })
    expect(verified.element).toBe(body.element)
  })

  it('reads a Fault with its faultcode and faultstring', () => {
    const body = readSoapEnvelope(soapFault('Client', 'SOAP_MESSAGE_INVALID: no Body'))
    expect(body).toEqual({
      kind: 'fault',
      faultcode: 'soapenv:Client',
      faultstring: 'SOAP_MESSAGE_INVALID: no Body',
    })
  })

  it('refuses what is not one SAML message in one Body', () => {
    const cases: Array<[string, string]> = [
      [resolve, 'SOAP_MESSAGE_INVALID'],
      [
        `<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope"><Body>${resolve}</Body></Envelope>`,
        'SOAP_MESSAGE_INVALID',
      ],
      [envelope(''), 'SOAP_MESSAGE_INVALID'],
      [envelope(resolve + resolve.replace('_r1', '_r2')), 'SOAP_MESSAGE_INVALID'],
      [
        `<soapenv:Envelope xmlns:soapenv="${ns.soapenv}"><soapenv:Body>${resolve}</soapenv:Body><soapenv:Body/></soapenv:Envelope>`,
        'SOAP_MESSAGE_INVALID',
      ],
      [
        envelope(
          resolve,
          `<soapenv:Header><x:Tx xmlns:x="urn:x" soapenv:mustUnderstand="1"/></soapenv:Header>`,
        ),
        'SOAP_MESSAGE_INVALID',
      ],
      ['this is not xml', 'XML_MALFORMED'],
      [`<!DOCTYPE x [<!ENTITY a "b">]>${envelope(resolve)}`, 'XML_DOCTYPE_FORBIDDEN'],
    ]
    for (const [text, code] of cases) expect(errorOf(() => readSoapEnvelope(text))?.code).toBe(code)
  })

  it('ignores header entries that need not be understood', () => {
    const body = readSoapEnvelope(
      envelope(resolve, '<soapenv:Header><x:Note xmlns:x="urn:x">hi</x:Note></soapenv:Header>'),
    )
    expect(body.kind).toBe('message')
  })
})
