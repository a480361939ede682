import type { SignInStep } from '../core/http/later-steps-first.ts'

/**
 * The steps of a sign-in among the SP's routes (connection.tsx, agent SSO), for the order a busy
 * thread serves them in (core/http/later-steps-first.ts), in any campaign (`/c/<id>` before the
 * path). Logout, the messenger, diagnostics, metadata and admin have no step: served as they come.
 */
export const spSignInSteps: Readonly<Record<string, SignInStep>> = {
  'GET /login': 'start',
  'GET /oidc/initiate-login': 'start',
  'POST /oidc/initiate-login': 'start',
  'GET /agent/login': 'start',
  'POST /saml/acs': 'answer',
  'GET /saml/acs': 'answer',
  'GET /oidc/callback': 'answer',
  'POST /oidc/callback': 'answer',
  'GET /jwt/callback': 'answer',
  'POST /jwt/callback': 'answer',
  'GET /account/username': 'answer',
  'POST /account/username': 'answer',
  'GET /account/email': 'answer',
  'POST /account/email': 'answer',
  'POST /agent/saml/acs': 'answer',
  'GET /agent/jwt/callback': 'answer',
  'POST /agent/login/password': 'answer',
  'GET /': 'landing',
  'GET /agent': 'landing',
}

const campaign = /^\/c\/[^/]+(?=\/)/

export function spSignInStep(method: string, path: string): SignInStep | undefined {
  return spSignInSteps[`${method} ${path.replace(campaign, '')}`]
}
