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

export interface SignatureCheck {
  element: Element
  signature: Element
  id: string
  trusted: readonly TrustedCertificate[]
  allowSha1: boolean
  /** KeyInfo facts (fingerprints only) attached to every failure. */
  evidence: Evidence
}

/**
 * xmldsig-core 3.2 core validation by xml-crypto, tried with each trusted RSA certificate (the
 * strong ones first). Trust comes only from `trusted`: KeyInfo is never read for a key. Returns
 * the certificate that verified.
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
    if (isShort(certificate) && !allowSha1) {
      throw new SsoError(
        'SAML_SIGNATURE_ALGORITHM_FORBIDDEN',
        'SignatureMethod',
        `the signing key is shorter than ${minimumRsaBits} bits`,
        { keyBits: certificate.rsaBits ?? null, certificateSha256: certificate.sha256 },
      )
    }
    requireVerifiedOctetsAreElement(signedXml, element, id, evidence)
    return certificate
  }
  throw invalid(
    'SignatureValue',
    'the signature does not verify with any trusted certificate',
    evidence,
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
