import type { SignInStep } from '../core/http/sign-in-order.ts'

/**
 * The steps of a sign-in among the IdP's routes (create-idp.tsx), for the order a busy thread
 * serves them in (core/http/sign-in-order.ts). Back-channel calls an SP waits on (artifact
 * resolution, the token and userinfo endpoints), metadata and admin have no step: served as
 * they come.
 */
export const idpSignInSteps: Readonly<Record<string, SignInStep>> = {
  // The login form (or its answer straight away, for a visitor signed in here already).
  'GET /saml/sso': 'here',
  'POST /saml/sso': 'here',
  'GET /oidc/authorize': 'here',
  'POST /oidc/authorize': 'here',
  'GET /jwt/login': 'here',
  'GET /login': 'here',
  // The answer to the SP.
  'GET /saml/idp-initiated': 'onward',
  'POST /login': 'onward',
  'POST /login/second-factor': 'onward',
}

export function idpSignInStep(method: string, path: string): SignInStep | undefined {
  return idpSignInSteps[`${method} ${path}`]
}
