/** Test helpers for core/xmldsig: throwaway keys, a sample Response, error capture. */
import 'reflect-metadata'
import { webcrypto } from 'node:crypto'
import { PemConverter, X509CertificateGenerator } from '@peculiar/x509'
import { SsoError } from '../errors/index.ts'

/** A throwaway RSA key and self-signed certificate, for tests only. */
export interface TestKey {
  privateKeyPem: string
  certificatePem: string
}

export async function createTestKey(commonName: string, modulusLength = 2048): Promise<TestKey> {
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength,
  }
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])
  const certificate = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: '01',
      name: `CN=${commonName}`,
      notBefore: new Date('2030-01-01T00:00:00Z'),
      notAfter: new Date('2031-01-01T00:00:00Z'),
      keys: keys as webcrypto.CryptoKeyPair,
      signingAlgorithm: algorithm,
    },
    webcrypto,
  )
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)
  return {
    privateKeyPem: PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    certificatePem: certificate.toString('pem'),
  }
}

/** A small SAML-like Response with one Assertion, unsigned. */
export function sampleResponse(nameId = 'alice@example.com'): string {
  return [
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_response1" Version="2.0" IssueInstant="2030-01-01T00:00:00Z">',
    '<saml:Issuer>https://idp.example.com</saml:Issuer>',
    '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>',
    '<saml:Assertion ID="_assertion1" Version="2.0" IssueInstant="2030-01-01T00:00:00Z">',
    '<saml:Issuer>https://idp.example.com</saml:Issuer>',
    `<saml:Subject><saml:NameID>${nameId}</saml:NameID></saml:Subject>`,
    '<saml:AttributeStatement><saml:Attribute Name="role"><saml:AttributeValue>user</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>',
    '</saml:Assertion>',
    '</samlp:Response>',
  ].join('')
}

/** Runs `fn` and returns the SsoError it throws; fails the test when it throws nothing else. */
export function ssoErrorOf(fn: () => unknown): SsoError {
  try {
    fn()
  } catch (error) {
    if (error instanceof SsoError) return error
    throw error
  }
  throw new Error('expected an SsoError, but nothing was thrown')
}
