import { spSessionCookie } from './sp-sessions.ts'

/** The cookies one campaign connection sets; campaigns under /c/<id>/ get their own names. */
export interface SpCookieNames {
  /** The SP session (httpOnly). */
  session: string
  /** Binds a SAML AuthnRequest to the browser that started it. */
  pending: string
  /** Binds an OIDC authorization request (state, nonce, PKCE) to the browser. */
  oidcPending: string
  /** A sign-in waiting for the visitor to choose a username (inSided's first sign-on). */
  signIn: string
  /** This browser already had its silent sign-in attempt (login/passive-sign-in.ts). */
  silent: string
}

/** The browser's visitor identity in the messenger: one per browser, across campaigns. */
export const visitorCookie = 'ssoproof_visitor'

export function spCookieNames(campaignId: string | undefined): SpCookieNames {
  const suffix = campaignId === undefined ? '' : `_${campaignId.replaceAll('-', '_')}`
  return {
    session: `${spSessionCookie}${suffix}`,
    pending: `ssoproof_sp_pending${suffix}`,
    oidcPending: `ssoproof_sp_oidc${suffix}`,
    signIn: `ssoproof_sp_signin${suffix}`,
    silent: `ssoproof_sp_silent${suffix}`,
  }
}
