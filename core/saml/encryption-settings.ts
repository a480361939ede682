import { SsoError } from '../errors/index.ts'
import { type ParsedCertificate, parseCertificate } from '../keys/parse.ts'
import { ns } from '../xml/namespaces.ts'

// What an SP may encrypt with and be sent, apart from the encrypting and decrypting
// (encryption.ts), so that checking a registration or writing metadata loads no XML parser.

const xenc11 = 'http://www.w3.org/2009/xmlenc11#'

/** Algorithm URIs of XML Encryption (xmlenc-core §5; AES-GCM: xmlenc-core1 §5.2.4). */
export const encryptionAlgorithms = {
  'aes128-cbc': `${ns.xenc}aes128-cbc`,
  'aes256-cbc': `${ns.xenc}aes256-cbc`,
  'aes128-gcm': `${xenc11}aes128-gcm`,
  'aes256-gcm': `${xenc11}aes256-gcm`,
  'rsa-oaep-mgf1p': `${ns.xenc}rsa-oaep-mgf1p`,
} as const

/** What the IdP encrypts content with: AES-256-GCM, or AES-128-CBC for SPs that lack GCM. */
export const contentEncryptionAlgorithms = ['aes256-gcm', 'aes128-cbc'] as const
export type ContentEncryptionAlgorithm = (typeof contentEncryptionAlgorithms)[number]

/**
 * What the SP decrypts and lists as md:EncryptionMethod in its metadata. Everything else is
 * refused: RSA 1.5 key transport invites Bleichenbacher's attack (xmlenc-core1 §5.5.1), and
 * Triple DES is withdrawn.
 */
export const acceptedContentEncryption: readonly string[] = [
  encryptionAlgorithms['aes256-gcm'],
  encryptionAlgorithms['aes128-gcm'],
  encryptionAlgorithms['aes256-cbc'],
  encryptionAlgorithms['aes128-cbc'],
]
export const acceptedKeyTransport: readonly string[] = [encryptionAlgorithms['rsa-oaep-mgf1p']]

/** Reads an SP encryption certificate (PEM or base64 DER); RSA-OAEP needs an RSA key in it. */
export function readEncryptionCertificate(text: string): ParsedCertificate {
  const certificate = parseCertificate(text)
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') {
    throw new SsoError(
      'CONFIG_INVALID',
      'encryptionCertificates',
      'the encryption certificate does not hold an RSA key',
      { certificateSha256: certificate.fingerprintSha256 },
    )
  }
  return certificate
}
