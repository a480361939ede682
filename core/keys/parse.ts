import { createHash, type KeyObject, X509Certificate } from 'node:crypto'
import { SsoError } from '../errors/index.ts'

/** What ssoproof needs to know about one X.509 certificate. */
export interface ParsedCertificate {
  /** The DER encoding in base64, without headers or line breaks (for metadata KeyInfo). */
  certificateBase64: string
  notBefore: Date
  notAfter: Date
  /** The subject distinguished name, e.g. `CN=ssoproof IdP`. */
  subject: string
  /** SHA-256 over the DER encoding, upper-case hex pairs joined by colons. */
  fingerprintSha256: string
  publicKey: KeyObject
}

const pemBlock = /-----BEGIN CERTIFICATE-----([^-]*)-----END CERTIFICATE-----/g
const base64Text = /^[A-Za-z0-9+/]+={0,2}$/

/**
 * Reads a certificate given as PEM or as bare base64 DER, the form of a ds:X509Certificate
 * element in SAML metadata. Whitespace anywhere in the base64 text is ignored.
 */
export function parseCertificate(pemOrBase64: string): ParsedCertificate {
  const der = decode(pemOrBase64)
  let certificate: X509Certificate
  let publicKey: KeyObject
  try {
    certificate = new X509Certificate(der)
    publicKey = certificate.publicKey
  } catch {
    throw invalid('The text is base64 but not a DER-encoded X.509 certificate.')
  }
  if (encodedLength(der) !== der.byteLength) {
    throw invalid('The certificate is followed by trailing bytes.', {
      bytes: der.byteLength,
    })
  }
  return {
    certificateBase64: der.toString('base64'),
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
    // OpenSSL's one-line form, e.g. `C=NO, O=UNINETT, CN=feide.erlang.no`.
    subject: certificate.subject.split('\n').join(', '),
    fingerprintSha256: fingerprint(der),
    publicKey,
  }
}

/** The certificate as PEM with 64-character lines (RFC 7468 section 2). */
export function toCertificatePem(certificateBase64: string): string {
  const lines = certificateBase64.match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}

function decode(text: string): Buffer {
  let body = text
  if (text.includes('-----BEGIN')) {
    const blocks = [...text.matchAll(pemBlock)]
    if (blocks.length !== 1) {
      throw invalid('The PEM text must hold exactly one CERTIFICATE block.', {
        pemBlocks: blocks.length,
      })
    }
    body = blocks[0]?.[1] ?? ''
  }
  const compact = body.replace(/\s+/g, '')
  if (!base64Text.test(compact)) {
    throw invalid('The text is neither a PEM certificate nor base64.', { length: text.length })
  }
  return Buffer.from(compact, 'base64')
}

/** Length of the outer DER SEQUENCE, header included (X.690 section 8.1.3). */
function encodedLength(der: Buffer): number {
  const lengthOctet = der[1] ?? 0
  if (lengthOctet < 0x80) return 2 + lengthOctet
  const octets = lengthOctet & 0x7f
  return 2 + octets + der.subarray(2, 2 + octets).reduce((length, octet) => length * 256 + octet, 0)
}

function fingerprint(der: Buffer): string {
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase()
  return (hex.match(/../g) ?? []).join(':')
}

function invalid(reason: string, evidence: Record<string, number> = {}): SsoError {
  return new SsoError('SAML_CERTIFICATE_INVALID', 'X509Certificate', reason, evidence)
}
