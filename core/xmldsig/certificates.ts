import { type KeyObject, X509Certificate } from 'node:crypto'
import { SsoError } from '../errors/index.ts'
import { cacheParsed } from '../keys/index.ts'

/** A configured IdP (or SP) certificate, as read from its text; shared, so frozen. */
export interface TrustedCertificate {
  /** SHA-256 fingerprint, `AB:CD:…` as OpenSSL prints it. */
  readonly sha256: string
  readonly publicKey: KeyObject
  /** RSA modulus length, or undefined for a key that is not RSA. */
  readonly rsaBits: number | undefined
  /** The validity window (RFC 5280 §4.1.2.5), milliseconds since the epoch. */
  readonly notBefore: number
  readonly notAfter: number
}

const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/

/**
 * Each configured text is parsed once (bounded cache keyed by the exact text, core/keys/cache.ts):
 * a verification reads the same few certificates every time, and parsing and hashing them was
 * a tenth of its cost. A text that cannot be read throws, so it is not cached.
 */
const trustedCertificateOf = cacheParsed((text): TrustedCertificate => {
  const certificate = readCertificate(text)
  if (!certificate) throw new TypeError('not a certificate')
  const { publicKey } = certificate
  return Object.freeze({
    sha256: certificate.fingerprint256,
    publicKey,
    rsaBits:
      publicKey.asymmetricKeyType === 'rsa'
        ? publicKey.asymmetricKeyDetails?.modulusLength
        : undefined,
    notBefore: Date.parse(certificate.validFrom),
    notAfter: Date.parse(certificate.validTo),
  })
})

/** Reads PEM or bare base64 DER certificates; one that cannot be read is a configuration error. */
export function readTrustedCertificates(certificates: readonly string[]): TrustedCertificate[] {
  if (certificates.length === 0) {
    throw new SsoError(
      'SAML_CERTIFICATE_INVALID',
      'trustedCertificates',
      'no certificate is trusted',
      {
        trustedCertificates: 0,
      },
    )
  }
  return certificates.map((text, index) => {
    try {
      return trustedCertificateOf(text)
    } catch {
      throw new SsoError(
        'SAML_CERTIFICATE_INVALID',
        'trustedCertificates',
        `trusted certificate #${index + 1} cannot be read as PEM or base64 DER`,
        { index },
      )
    }
  })
}

/** The SHA-256 fingerprint of a certificate, or null when it cannot be read. */
export function certificateSha256(text: string): string | null {
  return readCertificate(text)?.fingerprint256 ?? null
}

function readCertificate(text: string): X509Certificate | undefined {
  try {
    if (text.includes('-----BEGIN CERTIFICATE-----')) return new X509Certificate(text)
    const bare = text.replace(/\s+/g, '')
    if (!base64Pattern.test(bare)) return undefined
    return new X509Certificate(Buffer.from(bare, 'base64'))
  } catch {
    return undefined
  }
}
