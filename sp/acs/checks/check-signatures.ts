import { fromEarlier } from '../../../core/checks/from-earlier.ts'
import { SsoError } from '../../../core/errors/index.ts'
import { firstChildElement, ns } from '../../../core/xml/index.ts'
import { type VerifyOptions, verifyElementSignature } from '../../../core/xmldsig/index.ts'
import type { AcsContext } from '../context.ts'

/**
 * Trust is the configured IdP certificates only, valid at the check's instant (catalogue item
 * 15); legacy crypto and certificate validity follow the per-IdP allowances, as warnings.
 */
function verifyOptions(ctx: AcsContext): VerifyOptions {
  return {
    trustedCertificates: ctx.settings.idpCertificates,
    allowSha1: ctx.settings.allowLegacyCrypto ?? false,
    certificateValidityAt: ctx.now,
    ignoreCertificateValidity: ctx.settings.ignoreCertificateValidity ?? false,
    onWarning: ctx.warn,
  }
}

/**
 * A Signature that is present must verify with the configured IdP certificate (never KeyInfo),
 * over exactly the element it sits in; the verified node is the one read afterwards.
 */
export function checkResponseSignature(ctx: AcsContext): void {
  if (!ctx.responseSigned) {
    if (ctx.settings.wantResponseSigned) {
      throw new SsoError(
        'SAML_RESPONSE_UNSIGNED',
        'Signature (Response)',
        'the SP wants the Response signed',
        {},
      )
    }
    return
  }
  const verified = verifyElementSignature(ctx.response, verifyOptions(ctx))
  ctx.signatureAlgorithm = verified.signatureAlgorithm
}

/**
 * saml-profiles §4.1.4.2 and the SP's WantAssertionsSigned: the Assertion is signed itself, or
 * (when allowed) covered by the Response signature. At least one of the two must be signed.
 */
export function checkAssertionSignature(ctx: AcsContext): void {
  const assertion = fromEarlier(ctx.assertion, 'the Assertion')
  ctx.assertionSigned = firstChildElement(assertion, ns.ds, 'Signature') !== undefined
  if (ctx.assertionSigned) {
    const verified = verifyElementSignature(assertion, verifyOptions(ctx))
    ctx.signatureAlgorithm ??= verified.signatureAlgorithm
    return
  }
  if (ctx.settings.wantAssertionsSigned) {
    throw new SsoError(
      'SAML_ASSERTION_UNSIGNED',
      'Signature (Assertion)',
      'the Assertion is not signed',
      {
        responseSigned: ctx.responseSigned,
      },
    )
  }
  if (!ctx.responseSigned) {
    throw new SsoError(
      'SAML_SIGNATURE_MISSING',
      'Signature',
      'neither the Response nor the Assertion is signed',
      {},
    )
  }
}
