import { beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../clock/index.ts'
import type { Credential } from './credential.ts'
import { createCredential } from './generate.ts'
import { parseCertificate } from './parse.ts'

let credential: Credential

beforeAll(async () => {
  credential = await createCredential({
    commonName: 'parse me',
    clock: createManualClock('2030-01-01T00:00:00Z'),
  })
})

describe('parseCertificate', () => {
  it('reads PEM and bare base64 DER alike', () => {
    const fromPem = parseCertificate(credential.certificatePem)
    const wrapped = credential.certificateBase64.replace(/.{1,76}/g, '\n    $&')
    const fromBase64 = parseCertificate(`  ${wrapped}\r\n  `)
    for (const parsed of [fromPem, fromBase64]) {
      expect(parsed.certificateBase64).toBe(credential.certificateBase64)
      expect(parsed.fingerprintSha256).toBe(credential.fingerprintSha256)
      expect(parsed.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
      expect(parsed.subject).toBe('CN=parse me')
      expect(parsed.notBefore).toEqual(credential.notBefore)
      expect(parsed.notAfter).toEqual(credential.notAfter)
      expect(parsed.publicKey.equals(credential.publicKey)).toBe(true)
    }
  })

  it('refuses text that is not a certificate', () => {
    for (const garbage of [
      '',
      'not base64 at all!',
      'aGVsbG8gd29ybGQ=',
      credential.privateKeyPem,
      `${credential.certificatePem}${credential.certificatePem}`,
      Buffer.concat([
        Buffer.from(credential.certificateBase64, 'base64'),
        Buffer.of(5, 0),
      ]).toString('base64'),
    ]) {
      expect(() => parseCertificate(garbage), garbage.slice(0, 40)).toThrowError(
        expect.objectContaining({ code: 'SAML_CERTIFICATE_INVALID', check: 'X509Certificate' }),
      )
    }
  })
})
