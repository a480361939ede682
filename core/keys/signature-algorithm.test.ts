import { webcrypto } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { certificateSignatureAlgorithm } from './signature-algorithm.ts'
import { X509Certificate, X509CertificateGenerator } from './test-support.ts'

type Algorithm =
  | webcrypto.RsaHashedKeyGenParams
  | webcrypto.EcKeyGenParams
  | webcrypto.RsaHashedImportParams

async function certificate(
  keyAlgorithm: Algorithm,
  signingAlgorithm: Algorithm | webcrypto.EcdsaParams,
) {
  const keys = (await webcrypto.subtle.generateKey(keyAlgorithm, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair
  return X509CertificateGenerator.createSelfSigned(
    {
      name: 'CN=algorithm',
      notBefore: new Date('2030-01-01T00:00:00Z'),
      notAfter: new Date('2031-01-01T00:00:00Z'),
      signingAlgorithm,
      keys,
    },
    webcrypto,
  )
}

const rsa = (name: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS', hash: string) => ({
  name,
  hash,
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
})

describe('certificateSignatureAlgorithm', () => {
  it.each([
    ['RSASSA-PKCS1-v1_5 with SHA-1', rsa('RSASSA-PKCS1-v1_5', 'SHA-1'), undefined],
    ['RSASSA-PKCS1-v1_5 with SHA-512', rsa('RSASSA-PKCS1-v1_5', 'SHA-512'), undefined],
    ['RSA-PSS with SHA-384', rsa('RSA-PSS', 'SHA-384'), { name: 'RSA-PSS', saltLength: 48 }],
    [
      'ECDSA P-384 with SHA-384',
      { name: 'ECDSA', namedCurve: 'P-384' },
      { name: 'ECDSA', hash: 'SHA-384' },
    ],
  ] as const)('reads %s as @peculiar/x509 does', async (_, key, signing) => {
    const made = await certificate(key as Algorithm, (signing ?? key) as Algorithm)
    const theirs = new X509Certificate(made.rawData).signatureAlgorithm as {
      name: string
      hash: { name: string }
    }
    expect(certificateSignatureAlgorithm(Buffer.from(made.rawData))).toEqual({
      name: theirs.name,
      hash: theirs.hash.name,
    })
  })
})
