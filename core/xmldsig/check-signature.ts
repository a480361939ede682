import { SignedXml } from 'xml-crypto'
import { type Evidence, SsoError } from '../errors/index.ts'
import { serializeXml } from '../xml/index.ts'
import {
  allowedDigestAlgorithms,
  allowedSignatureAlgorithms,
  minimumRsaBits,
  useAlgorithms,
} from './algorithms.ts'
import { requireVerifiedOctetsAreElement } from './binding.ts'
import type { TrustedCertificate } from './certificates.ts'
import { refuseUnlessAllowed, type WarningSink } from './legacy.ts'

export interface SignatureCheck {
  element: Element
  signature: Element
  id: string
  trusted: readonly TrustedCertificate[]
  allowSha1: boolean
  /** KeyInfo facts (fingerprints only) attached to every failure. */
  evidence: Evidence
  /** The instant the verifying certificate must be valid at; unset: its dates are not checked. */
  certificateValidityAt: number | undefined
  ignoreCertificateValidity: boolean
  warn: WarningSink | undefined
}

/**
 * xmldsig-core 3.2 core validation by xml-crypto, tried with each trusted RSA certificate (the
 * strong ones first). Trust comes only from `trusted`: KeyInfo is never read for a key. The
 * certificate that verified must hold a 2048-bit key (legacy mode: a warning) and, when an
 * instant is given, be within its validity window (catalogue item 15). Returns that certificate.
 */
export function checkSignatureValue(check: SignatureCheck): TrustedCertificate {
  const { element, signature, id, allowSha1, evidence } = check
  const xml = serializeXml(element.ownerDocument)
  const candidates = check.trusted
    .filter((certificate) => certificate.rsaBits !== undefined)
    .sort((a, b) => Number(isShort(a)) - Number(isShort(b)))
  for (const certificate of candidates) {
    const signedXml = new SignedXml({
      publicCert: certificate.publicKey,
      getCertFromKeyInfo: () => null,
    })
    useAlgorithms(
      signedXml,
      allowedSignatureAlgorithms(allowSha1),
      allowedDigestAlgorithms(allowSha1),
    )
    let digestsMatch: boolean
    try {
      signedXml.loadSignature(signature)
      digestsMatch = signedXml.checkSignature(xml)
    } catch (error) {
      if (isWrongKey(error)) continue
      throw invalid('Signature', cannotValidateReason(error), evidence)
    }
    if (!digestsMatch) {
      throw invalid('DigestValue', 'the digest does not match the signed element', evidence)
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
    requireVerifiedOctetsAreElement(signedXml, element, id, evidence)
    if (check.certificateValidityAt !== undefined) checkValidity(certificate, check)
    return certificate
  }
  throw invalid(
    'SignatureValue',
    'the signature does not verify with any trusted certificate',
    evidence,
  )
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

function isShort(certificate: TrustedCertificate): boolean {
  return (certificate.rsaBits ?? 0) < minimumRsaBits
}

/** xml-crypto throws this when SignedInfo does not verify with the key it was given. */
function isWrongKey(error: unknown): boolean {
  return (
    error instanceof Error && error.message.startsWith('invalid signature: the signature value')
  )
}

/** xml-crypto's own wrapping guard, named; any other refusal stays generic (its text may hold XML). */
function cannotValidateReason(error: unknown): string {
  return error instanceof Error && error.message.includes('same SignatureValue')
    ? 'another ds:Signature in the document carries the same SignatureValue'
    : 'the signature cannot be validated'
}

function invalid(check: string, reason: string, evidence: Evidence): SsoError {
  return new SsoError('SAML_SIGNATURE_INVALID', check, reason, evidence)
}
