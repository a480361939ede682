import { createPublicKey, type KeyObject } from 'node:crypto'
import { SsoError } from '../errors/index.ts'
import { type ParsedCertificate, toCertificatePem } from './parse.ts'

/** A private key with its certificate: what the IdP and the SP sign and publish with. */
export interface Credential extends ParsedCertificate {
  privateKey: KeyObject
  /** PKCS#8 PEM. Never log it or put it into an error. */
  privateKeyPem: string
  certificatePem: string
}

/** Where a key and a certificate came from: file paths, or the names of in-memory settings. */
export interface CredentialSources {
  key: string
  certificate: string
}

/** Pairs a private key with its certificate, refusing a key the certificate does not certify. */
export function toCredential(
  privateKey: KeyObject,
  certificate: ParsedCertificate,
  sources: CredentialSources,
): Credential {
  const derived = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  const certified = certificate.publicKey.export({ format: 'der', type: 'spki' })
  if (!derived.equals(certified)) {
    throw new SsoError(
      'CONFIG_INVALID',
      'KeyMatchesCertificate',
      'The private key does not belong to the public key in the certificate.',
      { key: sources.key, certificate: sources.certificate },
    )
  }
  return {
    ...certificate,
    privateKey,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    certificatePem: toCertificatePem(certificate.certificateBase64),
  }
}
