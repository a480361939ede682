import { SsoError } from '../errors/index.ts'
import type { DigestAlgorithmName, SignatureAlgorithmName } from './algorithm-ids.ts'
import {
  algorithmLabel,
  allowedCanonicalizations,
  allowedDigestAlgorithms,
  allowedSignatureAlgorithms,
  allowedTransforms,
  digestAlgorithmName,
  signatureAlgorithmName,
} from './algorithms.ts'
import { refuseUnlessAllowed, type WarningSink } from './legacy.ts'
import type { SignatureParts } from './signed-info.ts'

/**
 * Catalogue item 13: RSA with SHA-256 or stronger; no HMAC, DSA, ECDSA. RSA-SHA1 and SHA-1
 * digests have codes of their own and pass, as warnings, only in legacy mode.
 */
export function checkAlgorithms(
  parts: SignatureParts,
  allowSha1: boolean,
  warn?: WarningSink,
): { signature: SignatureAlgorithmName; digest: DigestAlgorithmName } {
  const legacy = { allowed: allowSha1, because: 'legacy crypto is allowed', warn }
  const signature = signatureAlgorithmName(parts.signatureMethod ?? '')
  if (signature === 'rsa-sha1') {
    refuseUnlessAllowed(
      new SsoError('SAML_SIGNATURE_SHA1', 'SignatureMethod', 'the signature uses RSA-SHA1', {
        algorithm: 'rsa-sha1',
      }),
      legacy,
    )
  } else if (!signature || !allowedSignatureAlgorithms(allowSha1).includes(signature)) {
    throw forbidden('SignatureMethod', parts.signatureMethod, allowedSignatureAlgorithms(allowSha1))
  }
  const digest = digestAlgorithmName(parts.digestMethod ?? '')
  if (digest === 'sha1') {
    refuseUnlessAllowed(
      new SsoError('SAML_DIGEST_SHA1', 'DigestMethod', 'the Reference uses a SHA-1 digest', {
        algorithm: 'sha1',
      }),
      legacy,
    )
  } else if (!digest || !allowedDigestAlgorithms(allowSha1).includes(digest)) {
    throw forbidden('DigestMethod', parts.digestMethod, allowedDigestAlgorithms(allowSha1))
  }
  return { signature, digest }
}

/**
 * Catalogue item 6: no XSLT, XPath, RetrievalMethod or unknown canonicalization. Returns the
 * allowed CanonicalizationMethod and Reference transforms.
 */
export function checkTransforms(parts: SignatureParts): {
  canonicalization: string
  transforms: string[]
} {
  const canonicalization = parts.canonicalizationMethod
  if (canonicalization === undefined || !allowedCanonicalizations.has(canonicalization)) {
    throw new SsoError(
      'SAML_SIGNATURE_TRANSFORM_FORBIDDEN',
      'CanonicalizationMethod',
      'the CanonicalizationMethod is not exclusive c14n (or c14n 1.0) without comments',
      { algorithm: algorithmLabel(canonicalization) },
    )
  }
  const allowed: string[] = []
  for (const transform of parts.transforms) {
    if (transform === undefined || !allowedTransforms.has(transform)) {
      throw new SsoError(
        'SAML_SIGNATURE_TRANSFORM_FORBIDDEN',
        'Transform',
        'only the enveloped-signature and c14n transforms are allowed',
        { algorithm: algorithmLabel(transform) },
      )
    }
    allowed.push(transform)
  }
  if (parts.retrievalMethod) {
    throw new SsoError(
      'SAML_SIGNATURE_TRANSFORM_FORBIDDEN',
      'KeyInfo',
      'the KeyInfo carries a RetrievalMethod',
    )
  }
  return { canonicalization, transforms: allowed }
}

function forbidden(check: string, uri: string | undefined, allowed: readonly string[]): SsoError {
  return new SsoError(
    'SAML_SIGNATURE_ALGORITHM_FORBIDDEN',
    check,
    `the ${check} is not one of the allowed algorithms`,
    { algorithm: algorithmLabel(uri), allowed },
  )
}
