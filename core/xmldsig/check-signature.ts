import { verify } from 'node:crypto'
import { type Evidence, SsoError } from '../errors/index.ts'
import type { SignatureAlgorithmName } from './algorithm-ids.ts'
import { minimumRsaBits } from './algorithms.ts'
import { canonicalSignedInfo } from './canonical-octets.ts'
import type { TrustedCertificate } from './certificates.ts'
import { refuseUnlessAllowed, type WarningSink } from './legacy.ts'
import { type ReferenceCheck, referenceDigestMatches } from './reference.ts'

export interface SignatureCheck extends ReferenceCheck {
  /** The Signature's one SignedInfo is `signedInfo`, with these allowed algorithms. */
  signatureAlgorithm: SignatureAlgorithmName
  /** Base64, whitespace removed. */
  signatureValue: string
  trusted: readonly TrustedCertificate[]
  /** KeyInfo facts (fingerprints only) attached to every failure; computed only for one. */
  evidence: () => Evidence
  /** The instant the verifying certificate must be valid at; unset: its dates are not checked. */
  certificateValidityAt: number | undefined
  ignoreCertificateValidity: boolean
  warn: WarningSink | undefined
}

/** node:crypto's names for the allowed RSA PKCS#1 v1.5 signatures (RFC 6931 2.3). */
const rsaDigests: Record<SignatureAlgorithmName, string> = {
  'rsa-sha256': 'sha256',
  'rsa-sha384': 'sha384',
  'rsa-sha512': 'sha512',
  'rsa-sha1': 'sha1',
}

/**
 * xmldsig-core 3.2 core validation in the caller's own tree: SignedInfo is canonicalized in place
 * (xml-crypto's canonicalizer, canonical-octets.ts) and its SignatureValue verified with
 * node:crypto, with each trusted RSA certificate, the strong ones first — a few hundred bytes and
 * one RSA operation — and only then the Reference (reference.ts), whose canonicalization and
 * digest of the whole element is the costly part: a forged SignatureValue never gets that far
 * (catalogue case 38). Trust comes only from `trusted`: KeyInfo is never read for a key. The
 * certificate that verified must hold a 2048-bit key (legacy mode: a warning) and, when an
 * instant is given, be within its validity window (catalogue item 15). Returns that certificate.
 */
export function checkSignatureValue(check: SignatureCheck): TrustedCertificate {
  const { allowSha1, evidence } = check
  const candidates = check.trusted
    .filter((certificate) => certificate.rsaBits !== undefined)
    .sort((a, b) => Number(isShort(a)) - Number(isShort(b)))
  if (candidates.length === 0) throw doesNotVerify(evidence)
  const signedOctets = readable(evidence, () =>
    canonicalSignedInfo(check.signedInfo, check.canonicalization),
  )
  const certificate = candidates.find((candidate) =>
    verifies(check.signatureAlgorithm, signedOctets, candidate, check.signatureValue, evidence),
  )
  if (certificate === undefined) throw doesNotVerify(evidence)
  if (!readable(evidence, () => referenceDigestMatches(check))) {
    throw invalid('DigestValue', 'the digest does not match the signed element', evidence())
  }
  if (isShort(certificate)) {
    refuseUnlessAllowed(
      new SsoError(
        'SAML_SIGNING_KEY_TOO_SHORT',
        'Certificate',
        `the signing key is shorter than ${minimumRsaBits} bits`,
        { keyBits: certificate.rsaBits ?? null, certificateSha256: certificate.sha256 },
      ),
      { allowed: allowSha1, because: 'legacy crypto is allowed', warn: check.warn },
    )
  }
  if (check.certificateValidityAt !== undefined) checkValidity(certificate, check)
  return certificate
}

/** Runs a canonicalization step; xml-crypto's own refusals become SAML_SIGNATURE_INVALID. */
function readable<T>(evidence: () => Evidence, step: () => T): T {
  try {
    return step()
  } catch (error) {
    if (error instanceof SsoError) throw error
    throw invalid('Signature', cannotValidateReason(error), evidence())
  }
}

function checkValidity(certificate: TrustedCertificate, check: SignatureCheck): void {
  const at = check.certificateValidityAt as number
  const expired = at > certificate.notAfter
  if (!expired && at >= certificate.notBefore) return
  refuseUnlessAllowed(
    new SsoError(
      expired ? 'SAML_IDP_CERTIFICATE_EXPIRED' : 'SAML_IDP_CERTIFICATE_NOT_YET_VALID',
      'Certificate',
      expired
        ? 'the certificate that verified the signature has expired'
        : 'the certificate that verified the signature is not valid yet',
      {
        notBefore: new Date(certificate.notBefore).toISOString(),
        notAfter: new Date(certificate.notAfter).toISOString(),
        at: new Date(at).toISOString(),
        certificateSha256: certificate.sha256,
      },
    ),
    {
      allowed: check.ignoreCertificateValidity,
      because: 'certificate validity is ignored for this IdP',
      warn: check.warn,
    },
  )
}

function verifies(
  algorithm: SignatureAlgorithmName,
  signedOctets: string,
  certificate: TrustedCertificate,
  signatureValue: string,
  evidence: () => Evidence,
): boolean {
  try {
    return verify(
      rsaDigests[algorithm],
      Buffer.from(signedOctets, 'utf8'),
      certificate.publicKey,
      Buffer.from(signatureValue, 'base64'),
    )
  } catch {
    throw invalid('Signature', 'the signature cannot be validated', evidence())
  }
}

function isShort(certificate: TrustedCertificate): boolean {
  return (certificate.rsaBits ?? 0) < minimumRsaBits
}

/**
 * xml-crypto's own wrapping guard (a transform whose output it must re-parse finds the loaded
 * Signature by its SignatureValue), named; any other refusal stays generic (its text may hold XML).
 */
function cannotValidateReason(error: unknown): string {
  return error instanceof Error && error.message.includes('same SignatureValue')
    ? 'another ds:Signature in the document carries the same SignatureValue'
    : 'the signature cannot be validated'
}

function doesNotVerify(evidence: () => Evidence): SsoError {
  return invalid(
    'SignatureValue',
    'the signature does not verify with any trusted certificate',
    evidence(),
  )
}

function invalid(check: string, reason: string, evidence: Evidence): SsoError {
  return new SsoError('SAML_SIGNATURE_INVALID', check, reason, evidence)
}
