import type { Element, Node } from '@xmldom/xmldom'
import { type Evidence, SsoError } from '../errors/index.ts'
import type { DigestAlgorithmName, SignatureAlgorithmName } from './algorithm-ids.ts'
import { certificateSha256, readTrustedCertificates } from './certificates.ts'
import { checkSignatureValue } from './check-signature.ts'
import type { WarningSink } from './legacy.ts'
import { checkAlgorithms, checkTransforms } from './policy.ts'
import { findEnvelopedSignature, requireUniqueId } from './signature-element.ts'
import { readSignature } from './signed-info.ts'
import { checkSignedSize } from './signed-size.ts'

export interface VerifyOptions {
  /** PEM or bare base64 DER. The only source of trust: KeyInfo is never used. */
  trustedCertificates: readonly string[]
  /** Legacy mode: also accept rsa-sha1, sha1 digests and RSA keys under 2048 bits (as warnings). */
  allowSha1?: boolean
  /**
   * The instant (ms) at which the certificate that verifies must be within its validity window;
   * unset: its dates are not checked.
   */
  certificateValidityAt?: number
  /** Accept a certificate outside its validity window, as a warning. */
  ignoreCertificateValidity?: boolean
  /** Receives what legacy mode or ignoreCertificateValidity let through. */
  onWarning?: WarningSink
}

export interface VerifiedSignature {
  /** The very node passed in: read the signed content from it and from nothing else. */
  element: Element
  signatureAlgorithm: SignatureAlgorithmName
  digestAlgorithm: DigestAlgorithmName
  /** Fingerprint of the trusted certificate that verified, `AB:CD:…`. */
  certificateSha256: string
}

/**
 * Verifies the enveloped signature of `element` (a Response, Assertion or request) in the
 * caller's own tree. Checks, in order:
 *   1. exactly one ds:Signature child                  SAML_SIGNATURE_MISSING / _REFERENCE_INVALID
 *      the element within the cap on what is signed    SAML_SIGNED_ELEMENT_TOO_LARGE
 *   2. the element has an ID, unique in the document   SAML_SIGNATURE_REFERENCE_INVALID / SAML_DUPLICATE_ID
 *   3. one SignedInfo, one Reference to `#ID`          SAML_SIGNATURE_REFERENCE_INVALID
 *      plain base64 DigestValue and SignatureValue     SAML_SIGNATURE_INVALID
 *   4. signature and digest algorithms                 SAML_SIGNATURE_ALGORITHM_FORBIDDEN
 *      (legacy mode: a warning)                        SAML_SIGNATURE_SHA1 / SAML_DIGEST_SHA1
 *   5. canonicalization, transforms, RetrievalMethod   SAML_SIGNATURE_TRANSFORM_FORBIDDEN
 *   6. no processing instruction in the element        XML_PROCESSING_INSTRUCTION_FORBIDDEN
 *   7. the trusted certificates can be read            SAML_CERTIFICATE_INVALID
 *   8. SignedInfo verifies with a trusted key, then    SAML_SIGNATURE_INVALID
 *      the digest of this very element matches,
 *      an RSA key of 2048 bits (legacy mode: a warning) SAML_SIGNING_KEY_TOO_SHORT
 *   9. that certificate is valid at the given instant   SAML_IDP_CERTIFICATE_EXPIRED / _NOT_YET_VALID
 */
export function verifyElementSignature(
  element: Element,
  options: VerifyOptions,
): VerifiedSignature {
  const allowSha1 = options.allowSha1 ?? false
  const signature = findEnvelopedSignature(element)
  checkSignedSize(element)
  const parts = readSignature(signature, requireUniqueId(element))
  const algorithms = checkAlgorithms(parts, allowSha1, options.onWarning)
  const { canonicalization, transforms } = checkTransforms(parts)
  refuseProcessingInstructions(element)
  const trusted = readTrustedCertificates(options.trustedCertificates)
  const certificate = checkSignatureValue({
    element,
    signature,
    signedInfo: parts.signedInfo,
    canonicalization,
    digestAlgorithm: algorithms.digest,
    digestValue: parts.digestValue,
    transforms,
    inclusiveNamespaces: parts.inclusiveNamespaces,
    signatureAlgorithm: algorithms.signature,
    signatureValue: parts.signatureValue,
    trusted,
    allowSha1,
    evidence: () => keyInfoEvidence(parts.keyInfoCertificate, trusted),
    certificateValidityAt: options.certificateValidityAt,
    ignoreCertificateValidity: options.ignoreCertificateValidity ?? false,
    warn: options.onWarning,
  })
  return {
    element,
    signatureAlgorithm: algorithms.signature,
    digestAlgorithm: algorithms.digest,
    certificateSha256: certificate.sha256,
  }
}

function keyInfoEvidence(
  keyInfoCertificate: string | undefined,
  trusted: ReadonlyArray<{ sha256: string }>,
): Evidence {
  const sha256 = keyInfoCertificate === undefined ? null : certificateSha256(keyInfoCertificate)
  return {
    keyInfoCertificate: keyInfoCertificate !== undefined,
    keyInfoCertificateSha256: sha256,
    keyInfoCertificateTrusted: sha256 !== null && trusted.some((c) => c.sha256 === sha256),
    trustedCertificateSha256: trusted.map((c) => c.sha256),
  }
}

/**
 * xml-crypto 6.3's canonicalizers emit a processing instruction's data as if it were text, so
 * `victim@corp.com<?x .evil.com?>` would verify against a signature over
 * `victim@corp.com.evil.com` while the DOM reads `victim@corp.com`. parseXml refuses them too.
 */
function refuseProcessingInstructions(element: Element): void {
  const stack: Node[] = [element]
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.nodeType === node.PROCESSING_INSTRUCTION_NODE) {
      throw new SsoError(
        'XML_PROCESSING_INSTRUCTION_FORBIDDEN',
        'Reference',
        'the signed element carries a processing instruction',
      )
    }
    for (let child = node.firstChild; child; child = child.nextSibling) stack.push(child)
  }
}
