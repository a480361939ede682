import type { SignInStep } from '../core/http/sign-in-order.ts'
import { campaignPrefix } from './request-routes.ts'

/**
 * The steps of a sign-in among the SP's routes (connection.tsx, agent SSO), for the order a busy
 * thread serves them in (core/http/sign-in-order.ts), in any campaign (`/c/<id>` before the
 * path). Logout, the messenger, diagnostics, metadata and admin have no step: served as they come.
 */
export const spSignInSteps: Readonly<Record<string, SignInStep>> = {
  // To the IdP.
  'GET /login': 'onward',
  'GET /oidc/initiate-login': 'onward',
  'POST /oidc/initiate-login': 'onward',
  'GET /agent/login': 'onward',
  // What the IdP sent, checked here; then the SP's own pages.
  'POST /saml/acs': 'here',
  'GET /saml/acs': 'here',
  'GET /oidc/callback': 'here',
  'POST /oidc/callback': 'here',
  'GET /jwt/callback': 'here',
  'POST /jwt/callback': 'here',
  'GET /account/username': 'here',
  'POST /account/username': 'here',
  'GET /account/email': 'here',
  'POST /account/email': 'here',
  'POST /agent/saml/acs': 'here',
  'GET /agent/jwt/callback': 'here',
  'POST /agent/login/password': 'here',
  'GET /': 'landing',
  'GET /agent': 'landing',
}

const campaign = new RegExp(`^${campaignPrefix}(?=/)`)

/** `path` as the campaign at the root has it: `/c/<id>` taken off. */
export function rootCampaignPath(path: string): string {
  return path.replace(campaign, '')
}

export function spSignInStep(method: string, path: string): SignInStep | undefined {
  return spSignInSteps[`${method} ${rootCampaignPath(path)}`]
}
