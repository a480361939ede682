import type { SignInStep } from '../core/http/later-steps-first.ts'

/**
 * The steps of a sign-in among the IdP's routes (create-idp.tsx), for the order a busy thread
 * serves them in (core/http/later-steps-first.ts). Back-channel calls an SP waits on (artifact
 * resolution, the token and userinfo endpoints), metadata and admin have no step: served as
 * they come.
 */
export const idpSignInSteps: Readonly<Record<string, SignInStep>> = {
  'GET /saml/sso': 'start',
  'POST /saml/sso': 'start',
  'GET /saml/idp-initiated': 'start',
  'GET /oidc/authorize': 'start',
  'POST /oidc/authorize': 'start',
  'GET /jwt/login': 'start',
  'GET /login': 'start',
  'POST /login': 'answer',
  'POST /login/second-factor': 'answer',
}

export function idpSignInStep(method: string, path: string): SignInStep | undefined {
  return idpSignInSteps[`${method} ${path}`]
}
