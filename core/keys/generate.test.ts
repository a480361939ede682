import { X509Certificate as NodeX509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createManualClock } from '../clock/index.ts'
import { createCredential } from './generate.ts'
import { seededRsaKeyPair, seededSerialNumber } from './seeded.ts'
import { selfSignedCertificate } from './self-signed.ts'
import { X509Certificate } from './test-support.ts'

const clock = createManualClock('2030-06-15T12:00:00Z')

describe('createCredential', () => {
  it('names its hosts in SubjectAltName and never writes an empty extensions SEQUENCE (RFC 5280 §4.1)', async () => {
    const named = new NodeX509Certificate(
      (
        await createCredential({
          commonName: 'tls',
          clock,
          subjectAltNames: ['localhost', '127.0.0.1', '[::1]'],
        })
      ).certificatePem,
    )
    expect(named.subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    )
    expect(named.checkHost('localhost')).toBe('localhost')
    expect(named.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(named.ca).toBe(false)
    const plain = await createCredential({ commonName: 'signing', clock })
    const extensions = new X509Certificate(plain.certificatePem).extensions
    expect(extensions.length).toBeGreaterThan(0)
    expect(new NodeX509Certificate(plain.certificatePem).subjectAltName).toBeUndefined()
    // tbsCertificate's [3] extensions: a DER length of 0 would be the malformed empty SEQUENCE.
    const der = Buffer.from(plain.certificateBase64, 'base64').toString('hex')
    expect(der).not.toContain('a3023000')
  })

  it('makes a self-signed RSA-2048 certificate signed with sha256WithRSAEncryption', async () => {
    const credential = await createCredential({ commonName: 'ssoproof IdP', clock })
    expect(credential.publicKey.asymmetricKeyType).toBe('rsa')
    expect(credential.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048)
    expect(credential.privateKey.type).toBe('private')
    expect(credential.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/)

    const parsed = new X509Certificate(credential.certificatePem)
    expect(parsed.signatureAlgorithm).toMatchObject({
      name: 'RSASSA-PKCS1-v1_5',
      hash: { name: 'SHA-256' },
    })
    expect(await parsed.isSelfSigned()).toBe(true)

    const viewedByNode = new NodeX509Certificate(credential.certificatePem)
    expect(viewedByNode.verify(credential.publicKey)).toBe(true)
    expect(viewedByNode.checkPrivateKey(credential.privateKey)).toBe(true)
    expect(viewedByNode.issuer).toBe('CN=ssoproof IdP')
    expect(viewedByNode.fingerprint256).toBe(credential.fingerprintSha256)
    expect(credential.subject).toBe('CN=ssoproof IdP')
    expect(credential.certificateBase64).toBe(viewedByNode.raw.toString('base64'))
  })

  it('defaults to ten years starting one day before the clock', async () => {
    const credential = await createCredential({ commonName: 'default window', clock })
    expect(credential.notBefore.toISOString()).toBe('2030-06-14T12:00:00.000Z')
    expect(credential.notAfter.getTime() - credential.notBefore.getTime()).toBe(3650 * 86_400_000)
  })

  it('honours a validity length', async () => {
    const credential = await createCredential({ commonName: 'short', clock, validity: 3_600_000 })
    expect(credential.notAfter.toISOString()).toBe('2030-06-14T13:00:00.000Z')
  })

  it('makes an already-expired certificate when asked', async () => {
    const credential = await createCredential({
      commonName: 'expired',
      notBefore: new Date('2028-06-15T12:00:00.750Z'),
      notAfter: new Date('2029-06-15T12:00:00Z'),
      clock,
    })
    expect(credential.notBefore.toISOString()).toBe('2028-06-15T12:00:00.000Z')
    expect(credential.notAfter.toISOString()).toBe('2029-06-15T12:00:00.000Z')
    expect(credential.notAfter.getTime()).toBeLessThan(clock.now())
    const viewedByNode = new NodeX509Certificate(credential.certificatePem)
    expect(Date.parse(viewedByNode.validTo)).toBe(credential.notAfter.getTime())
  })

  it('refuses an empty or inverted window', async () => {
    await expect(
      createCredential({
        commonName: 'inverted',
        notBefore: new Date('2030-01-02T00:00:00Z'),
        notAfter: new Date('2030-01-01T00:00:00Z'),
      }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', evidence: { setting: 'notAfter' } })
    await expect(
      createCredential({ commonName: 'both', notAfter: new Date(), validity: 1000 }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', evidence: { setting: 'validity' } })
    await expect(createCredential({ commonName: ' ' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      evidence: { setting: 'commonName' },
    })
  })
  it('gives a seed the same certificate as ever: seeded runs keep their fingerprints', async () => {
    // Taken from the certificates the earlier DER writer made: byte for byte the same, through a
    // PrintableString and a UTF8String common name, UTCTime and GeneralizedTime (2050 on).
    const keys = seededRsaKeyPair('golden')
    const fingerprint = async (commonName: string, notAfter: string, subjectAltNames: string[]) =>
      new NodeX509Certificate(
        await selfSignedCertificate({
          ...keys,
          commonName,
          serialNumber: seededSerialNumber('golden'),
          notBefore: new Date('2030-01-01T00:00:00Z'),
          notAfter: new Date(notAfter),
          subjectAltNames,
        }),
      ).fingerprint256
    expect(
      await fingerprint('golden', '2050-06-01T00:00:00Z', ['localhost', '127.0.0.1', '::1']),
    ).toBe(
      'A3:98:CF:E0:84:62:E5:82:FC:23:EA:7D:49:C1:07:0A:3D:C7:6F:F0:78:AF:F5:4C:77:90:A5:A9:B7:09:AA:B3',
    )
    expect(await fingerprint('Ünïcode', '2031-06-01T00:00:00Z', [])).toBe(
      '84:60:20:15:39:AF:3B:3A:B9:C2:AE:73:16:6A:24:B8:AF:3E:31:94:06:E5:8F:BA:35:EE:B0:0B:36:86:E3:9B',
    )
    // The seeded key comes from node-forge's generator in JavaScript: slow on a busy machine.
  }, 180_000)
})
