import { generateKeyPairSync, X509Certificate } from 'node:crypto'
import forge from 'node-forge'
import { describe, expect, it } from 'vitest'
import { type SelfSignedFields, selfSignedCertificate } from './self-signed.ts'

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })

/**
 * The certificate as node-forge writes it from the same fields (what self-signed.ts used before
 * it wrote DER itself): the reference each case below must equal byte for byte.
 */
function forgeCertificate(fields: SelfSignedFields & { serialNumber: string }): Buffer {
  const { pki, asn1 } = forge
  const certificate = pki.createCertificate()
  certificate.publicKey = pki.publicKeyFromPem(
    fields.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  )
  certificate.serialNumber = fields.serialNumber
  certificate.validity.notBefore = fields.notBefore
  certificate.validity.notAfter = fields.notAfter
  const name: forge.pki.CertificateField[] = [
    /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(fields.commonName)
      ? { name: 'commonName', value: fields.commonName }
      : {
          name: 'commonName',
          value: fields.commonName,
          valueTagClass: asn1.Type.UTF8 as unknown as forge.asn1.Class,
        },
  ]
  certificate.setSubject(name)
  certificate.setIssuer(name)
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    ...(fields.subjectAltNames.length > 0
      ? [
          {
            name: 'subjectAltName',
            altNames: fields.subjectAltNames.map((entry) => {
              const host = entry.replace(/^\[(.*)\]$/, '$1')
              return /^[\d.]+$|:/.test(host) ? { type: 7, ip: host } : { type: 2, value: host }
            }),
          },
        ]
      : []),
  ])
  const hash = fields.signatureHash ?? 'sha256'
  const withRsa = pki.oids[`${hash}WithRSAEncryption`] as string
  certificate.signatureOid = withRsa
  certificate.siginfo.algorithmOid = withRsa
  const tbs = (
    pki as typeof pki & { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }
  ).getTBSCertificate(certificate)
  const { sign } = require('node:crypto') as typeof import('node:crypto')
  certificate.signature = sign(
    hash,
    Buffer.from(asn1.toDer(tbs).getBytes(), 'binary'),
    fields.privateKey,
  ).toString('binary')
  return Buffer.from(asn1.toDer(pki.certificateToAsn1(certificate)).getBytes(), 'binary')
}

const cases: Array<Partial<SelfSignedFields> & { title: string }> = [
  { title: 'a printable name, no SubjectAltName' },
  { title: 'a UTF-8 name', commonName: 'Ünïcode IdP — 東京' },
  {
    title: 'DNS names, IPv4 and IPv6 addresses',
    subjectAltNames: [
      'localhost',
      '127.0.0.1',
      '[::1]',
      '::',
      'fe80::1',
      '2001:db8::8:800:200c:417a',
      '2001:db8:1:2:3:4:5:6',
    ],
  },
  {
    title: 'GeneralizedTime from 2050, UTCTime before',
    notBefore: new Date('2049-12-31T23:59:59Z'),
    notAfter: new Date('2150-01-01T00:00:00Z'),
  },
  { title: 'a SHA-1 signature', signatureHash: 'sha1' },
  { title: 'a long name (two length octets)', commonName: 'n'.repeat(300) },
]

describe('selfSignedCertificate', () => {
  for (const { title, ...given } of cases) {
    it(`writes what node-forge wrote: ${title}`, async () => {
      const fields = {
        commonName: 'ssoproof mock IdP',
        serialNumber: '3a1f00c2d4e5f60718293a4b5c6d7e8f',
        notBefore: new Date('2026-12-06T10:00:00Z'),
        notAfter: new Date('2036-12-04T10:00:00Z'),
        privateKey,
        publicKey,
        subjectAltNames: [],
        ...given,
      }
      const der = await selfSignedCertificate(fields)
      expect(der.toString('hex')).toBe(forgeCertificate(fields).toString('hex'))
      const parsed = new X509Certificate(der)
      expect(parsed.verify(publicKey)).toBe(true)
      expect(parsed.serialNumber.toLowerCase()).toBe(fields.serialNumber)
    })
  }

  it('writes an IPv6 address with a dotted IPv4 tail (which node-forge refused)', async () => {
    const der = await selfSignedCertificate({
      commonName: 'x',
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2027-01-01T00:00:00Z'),
      privateKey,
      publicKey,
      subjectAltNames: ['::ffff:192.0.2.1', '[64:ff9b::10.0.0.1]'],
    })
    expect(new X509Certificate(der).subjectAltName).toBe(
      'IP Address:0:0:0:0:0:FFFF:C000:201, IP Address:64:FF9B:0:0:0:0:A00:1',
    )
  })

  it('writes any serial number given in hex as a DER INTEGER parsers accept', async () => {
    // A padded INTEGER (00 12 ab) is refused by OpenSSL: 1 in 256 drawn serials began so.
    for (const serialNumber of ['0012ab', '000001', '00', '0', '7f', '80', 'ff00', '00ff']) {
      const der = await selfSignedCertificate({
        commonName: 'x',
        serialNumber,
        notBefore: new Date('2026-01-01T00:00:00Z'),
        notAfter: new Date('2027-01-01T00:00:00Z'),
        privateKey,
        publicKey,
        subjectAltNames: [],
      })
      const parsed = new X509Certificate(der)
      expect(BigInt(`0x${parsed.serialNumber}`)).toBe(BigInt(`0x${serialNumber}`))
    }
  })

  it('draws a positive 16-octet serial number when none is given', async () => {
    const fields = {
      commonName: 'x',
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2027-01-01T00:00:00Z'),
      privateKey,
      publicKey,
      subjectAltNames: [],
    }
    const serials = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const der = await selfSignedCertificate(fields)
        // Certificate and TBSCertificate (30 82 LL LL each), version (a0 03 02 01 02), serial.
        expect(der.subarray(13, 15).toString('hex')).toBe('0210')
        expect(der[15]).toBeLessThan(0x80)
        expect(der[15]).toBeGreaterThan(0)
        return der.subarray(15, 31).toString('hex')
      }),
    )
    expect(new Set(serials).size).toBe(8)
  })
})
