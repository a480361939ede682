import { SsoError } from '../../core/errors/index.ts'

/**
 * saml-bindings §3.4.5.2 / §3.5.5.2: Destination, when present, is this IdP's SSO endpoint, and a
 * signed AuthnRequest must carry it.
 */
export function checkRequestDestination(
  destination: string | undefined,
  ssoUrl: string,
  signed: boolean,
): void {
  if (destination === undefined && signed) {
    throw new SsoError(
      'SAML_REQUEST_INVALID',
      'Destination',
      'a signed AuthnRequest must carry Destination',
      { expected: ssoUrl },
    )
  }
  if (destination !== undefined && destination !== ssoUrl) {
    throw new SsoError(
      'SAML_REQUEST_INVALID',
      'Destination',
      'the AuthnRequest Destination is not this IdP’s SSO endpoint',
      { expected: ssoUrl, received: destination },
    )
  }
}
