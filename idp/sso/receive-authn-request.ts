import { SsoError } from '../../core/errors/index.ts'
import { decodePost } from '../../core/saml/post.ts'
import { decodeRedirect, verifyRedirectSignature } from '../../core/saml/redirect.ts'
import { firstChildElement, ns, parseXml } from '../../core/xml/index.ts'
import { verifyElementSignature } from '../../core/xmldsig/index.ts'
import { type SpCryptoAllowance, spCryptoAllowance } from '../service-providers/crypto-allowance.ts'
import type { AcsEndpoint, SpRegistration } from '../service-providers/registration.ts'
import type { ServiceProviderRegistry } from '../service-providers/registry.ts'
import { type AuthnRequest, readAuthnRequest } from './authn-request.ts'
import { type ResponseBinding, resolveAcs } from './resolve-acs.ts'

export type IncomingBinding =
  | { binding: 'redirect'; rawQuery: string }
  | { binding: 'post'; form: Record<string, string | File | (string | File)[]> }

export interface AcceptedAuthnRequest {
  request: AuthnRequest
  sp: SpRegistration
  acs: AcsEndpoint
  /** How the Response goes to the ACS (see resolve-acs.ts). */
  responseBinding: ResponseBinding
  /** A ProtocolBinding the IdP does not answer by: the answer is Requester/UnsupportedBinding. */
  unsupportedBinding: string | undefined
  relayState: string | undefined
  /** Signed by a query signature or an enveloped one (verified). */
  signed: boolean
}

/**
 * The IdP's checks on an incoming AuthnRequest, in order:
 *   1. decode the binding (size-capped base64 / DEFLATE, RelayState ≤ 80 bytes)
 *   2. parse the XML once, hardened (no DOCTYPE, one root, size and depth caps)
 *   3. samlp:AuthnRequest, Version 2.0, with an ID; `onIssuer` hears whom it claims to be from
 *   4. the Issuer is a registered service provider
 *   5. the signature (query signature or enveloped) verifies with the SP's certificate
 *      (SHA-1 only for an SP registered with legacyCrypto, logged);
 *      required when the SP is registered as signing its requests
 *   6. Destination, when present, is this IdP's SSO endpoint
 *   7. the ACS URL or index names one of the SP's registered ACS endpoints (never taken blindly),
 *      of a binding the IdP answers by (resolve-acs.ts)
 */
export function receiveAuthnRequest(
  incoming: IncomingBinding,
  sps: ServiceProviderRegistry,
  ssoUrl: string,
  onIssuer?: (issuer: string | undefined) => void,
  log: (line: string) => void = () => {},
): AcceptedAuthnRequest {
  const decoded =
    incoming.binding === 'redirect'
      ? decodeRedirect(incoming.rawQuery, 'SAMLRequest')
      : { ...decodePost(incoming.form, 'SAMLRequest'), signature: undefined }
  const request = readAuthnRequest(parseXml(decoded.xml))
  onIssuer?.(request.issuer)

  const sp = request.issuer ? sps.get(request.issuer) : undefined
  if (!sp) {
    throw new SsoError(
      'SAML_REQUEST_UNKNOWN_SP',
      'Issuer',
      'the AuthnRequest Issuer is not a registered service provider',
      {
        issuer: request.issuer ?? null,
      },
    )
  }

  const hasEnvelopedSignature = firstChildElement(request.element, ns.ds, 'Signature') !== undefined
  if (decoded.signature) {
    verifyRedirectSignature(decoded.signature, sp.certificates, spCryptoAllowance(log, sp))
  } else if (incoming.binding === 'post' && hasEnvelopedSignature) {
    verifyRequestSignature(request.element, sp, spCryptoAllowance(log, sp))
  } else if (sp.requireSignedAuthnRequests) {
    throw new SsoError(
      'SAML_REQUEST_SIGNATURE_MISSING',
      'Signature',
      'the service provider must sign its AuthnRequests, and this one is not signed',
      {
        issuer: sp.entityId,
      },
    )
  }

  // saml-bindings §3.4.5.2 / §3.5.5.2: a signed request must say where it was sent.
  const signed = decoded.signature !== undefined || hasEnvelopedSignature
  if (signed && request.destination === undefined) {
    throw new SsoError(
      'SAML_REQUEST_INVALID',
      'Destination',
      'a signed AuthnRequest must carry Destination',
      {
        expected: ssoUrl,
      },
    )
  }
  if (request.destination !== undefined && request.destination !== ssoUrl) {
    throw new SsoError(
      'SAML_REQUEST_INVALID',
      'Destination',
      'the AuthnRequest Destination is not this IdP’s SSO endpoint',
      {
        expected: ssoUrl,
        received: request.destination,
      },
    )
  }

  const { acs, responseBinding, unsupportedBinding } = resolveAcs(request, sp)
  return {
    request,
    sp,
    acs,
    responseBinding,
    unsupportedBinding,
    relayState: decoded.relayState,
    signed,
  }
}

function verifyRequestSignature(
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
