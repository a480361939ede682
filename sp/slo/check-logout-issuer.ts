import { SsoError } from '../../core/errors/index.ts'

/** saml-profiles §4.4.4: the SP takes logout messages from its configured IdP only. */
export function checkLogoutIssuer(issuer: string, idpEntityId: string): void {
  if (issuer !== idpEntityId) {
    throw new SsoError(
      'SAML_LOGOUT_ISSUER_UNKNOWN',
      'Issuer',
      'the logout message does not come from the configured IdP',
      { expected: idpEntityId, received: issuer.slice(0, 200) },
    )
  }
}
