import type { X509Certificate } from 'node:crypto'
import type { Element } from '@xmldom/xmldom'
import { SsoError } from '../../core/errors/index.ts'
import { firstChildElement, ns } from '../../core/xml/index.ts'
import { verifyElementSignature } from '../../core/xmldsig/index.ts'
import type { SpCryptoAllowance } from '../service-providers/crypto-allowance.ts'
import type { SpRegistration } from '../service-providers/registration.ts'
import { isRegisteredClientCertificate } from './tls-client.ts'

/**
 * saml-bindings §3.6.5.2: an SP that registered certificates authenticates its ArtifactResolve by
 * a signature that verifies with one of them (SHA-1 only with legacyCrypto) or, unsigned, by a
 * TLS client certificate with one of their keys. A signature that is present must verify,
 * client certificate or not.
 */
export function authenticateRequester(
  resolve: Element,
  sp: SpRegistration,
  clientCertificate: X509Certificate | undefined,
  allowance: SpCryptoAllowance,
): void {
  const signed = firstChildElement(resolve, ns.ds, 'Signature') !== undefined
  if (!signed) {
    if (sp.certificates.length === 0) return
    if (clientCertificate === undefined) {
      throw unauthenticated(
        sp,
        'the SP has registered certificates, so its ArtifactResolve must be signed or come with its TLS client certificate',
      )
    }
    if (!isRegisteredClientCertificate(clientCertificate, sp.certificates)) {
      throw unauthenticated(sp, 'the TLS client certificate is not one registered for the SP')
    }
    return
  }
  if (sp.certificates.length === 0) {
    throw unauthenticated(sp, 'the SP has no registered certificate to verify with')
  }
  try {
    verifyElementSignature(resolve, { trustedCertificates: sp.certificates, ...allowance })
  } catch (caught) {
    if (!(caught instanceof SsoError)) throw caught
    throw unauthenticated(sp, `the signature does not verify (${caught.code})`)
  }
}

function unauthenticated(sp: SpRegistration, reason: string): SsoError {
  return new SsoError('IDP_ARTIFACT_REQUESTER_UNAUTHENTICATED', 'Signature', reason, {
    issuer: sp.entityId,
  })
}
