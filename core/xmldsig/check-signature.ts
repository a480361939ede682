import { type SignatureAlgorithm, SignedXml } from 'xml-crypto'
import { type Evidence, SsoError } from '../errors/index.ts'
import {
  allowedDigestAlgorithms,
  allowedSignatureAlgorithms,
  minimumRsaBits,
  type SignatureAlgorithmName,
  signatureAlgorithms,
  useAlgorithms,
} from './algorithms.ts'
import { ancestorNamespaces } from './ancestor-namespaces.ts'
import type { TrustedCertificate } from './certificates.ts'
import { refuseUnlessAllowed, type WarningSink } from './legacy.ts'
import { referenceDigestMatches } from './reference.ts'

export interface SignatureCheck {
  element: Element
  signature: Element
  id: string
  /** The Signature's one SignedInfo, its allowed CanonicalizationMethod and SignatureMethod. */
  signedInfo: Element
  canonicalization: string
  signatureAlgorithm: SignatureAlgorithmName
  /** Base64, whitespace removed. */
  signatureValue: string
  trusted: readonly TrustedCertificate[]
  allowSha1: boolean
  /** KeyInfo facts (fingerprints only) attached to every failure; computed only for one. */
  evidence: () => Evidence
  /** The instant the verifying certificate must be valid at; unset: its dates are not checked. */
  certificateValidityAt: number | undefined
  ignoreCertificateValidity: boolean
  warn: WarningSink | undefined
}

/**
 * xmldsig-core 3.2 core validation in the caller's own tree, with xml-crypto's parts: it loads the
 * Signature (`loadSignature`: SignedInfo's Reference, transforms, digest), its canonicalizers
 * render the referenced element and SignedInfo, its hash and signature algorithms (node:crypto,
 * only the allowed ones) digest and verify. First SignedInfo with each trusted RSA certificate,
 * the strong ones first — a few hundred bytes and one RSA operation — and only then the
 * Reference (reference.ts), whose canonicalization and digest of the whole element is the costly
 * part: a forged SignatureValue never gets that far (catalogue case 38). Trust comes only from `trusted`:
 * KeyInfo is never read for a key. The certificate that verified must hold a 2048-bit key
 * (legacy mode: a warning) and, when an instant is given, be within its validity window
 * (catalogue item 15). Returns that certificate.
 */
export function checkSignatureValue(check: SignatureCheck): TrustedCertificate {
  const { element, signature, id, signedInfo, allowSha1, evidence } = check
  const candidates = check.trusted
    .filter((certificate) => certificate.rsaBits !== undefined)
    .sort((a, b) => Number(isShort(a)) - Number(isShort(b)))
  if (candidates.length === 0) throw doesNotVerify(evidence)
  const signedXml = new SignedXml({ getCertFromKeyInfo: () => null })
  useAlgorithms(
    signedXml,
    allowedSignatureAlgorithms(allowSha1),
    allowedDigestAlgorithms(allowSha1),
  )
  const signedOctets = readable(evidence, () => {
    signedXml.loadSignature(signature)
    return signedXml.getCanonXml([check.canonicalization], signedInfo, {
      ancestorNamespaces: ancestorNamespaces(signedInfo),
    })
  })
  const Verifier = signedXml.SignatureAlgorithms[signatureAlgorithms[check.signatureAlgorithm]]
  if (Verifier === undefined) {
    throw invalid('Signature', 'the signature cannot be validated', evidence())
  }
  const verifier = new Verifier()
  const certificate = candidates.find((candidate) =>
    verifies(verifier, signedOctets, candidate, check.signatureValue, evidence),
  )
  if (certificate === undefined) throw doesNotVerify(evidence)
  if (!readable(evidence, () => referenceDigestMatches(signedXml, element, id, evidence))) {
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

/** Runs one of xml-crypto's steps; its own refusals become SAML_SIGNATURE_INVALID. */
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
  verifier: SignatureAlgorithm,
  signedOctets: string,
  certificate: TrustedCertificate,
  signatureValue: string,
  evidence: () => Evidence,
): boolean {
  try {
    return verifier.verifySignature(signedOctets, certificate.publicKey, signatureValue)
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
