import type { Element } from '@xmldom/xmldom'
import { SsoError } from '../../core/errors/index.ts'
import type { DecodedRedirect } from '../../core/saml/redirect.ts'
import { verifyRedirectSignature } from '../../core/saml/redirect.ts'
import { verifyElementSignature } from '../../core/xmldsig/index.ts'
import type { SpCryptoAllowance } from '../service-providers/crypto-allowance.ts'
import type { SpRegistration } from '../service-providers/registration.ts'

/**
 * The AuthnRequest's signature — the query signature (saml-bindings §3.4.4.1) or, over
 * HTTP-POST, an enveloped one — verifies with the SP's registered certificates (SHA-1 only for
 * an SP registered with legacyCrypto); an SP registered as signing its requests must sign.
 */
export function checkRequestSignature(
  querySignature: DecodedRedirect['signature'],
  enveloped: Element | undefined,
  sp: SpRegistration,
  allowance: SpCryptoAllowance,
): void {
  if (querySignature) {
    verifyRedirectSignature(querySignature, sp.certificates, allowance)
  } else if (enveloped) {
    verifyEnvelopedSignature(enveloped, sp, allowance)
  } else if (sp.requireSignedAuthnRequests) {
    throw new SsoError(
      'SAML_REQUEST_SIGNATURE_MISSING',
      'Signature',
      'the service provider must sign its AuthnRequests, and this one is not signed',
      { issuer: sp.entityId },
    )
  }
}

function verifyEnvelopedSignature(
  element: Element,
  sp: SpRegistration,
  allowance: SpCryptoAllowance,
): void {
  try {
    verifyElementSignature(element, { trustedCertificates: sp.certificates, ...allowance })
  } catch (error) {
    if (error instanceof SsoError && error.code === 'SAML_SIGNATURE_INVALID') {
      throw new SsoError(
        'SAML_REQUEST_SIGNATURE_INVALID',
        error.check,
        error.reason,
        error.evidence,
      )
    }
    throw error
  }
}
