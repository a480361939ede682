import type { RouteTable } from '../core/http/guard/request-guard.ts'

/** A campaign's own routes live at the root or under /c/<id>/. */
const campaign = '(?:/c/[^/]+)?'

/**
 * The SP's routes as its request guard sees them (core/http/guard/request-guard.ts); every other
 * POST is a page's own: sign-out, the messenger, the username question, the agent console and
 * its sign-in, the guided check.
 */
export const spRoutes: RouteTable = {
  crossSiteByDesign: [
    // The IdP's self-submitting forms (SAML HTTP-POST) and a site's page handing over a JWT.
    new RegExp(`^${campaign}/(?:saml/acs|saml/slo|jwt/callback)$`),
    /^\/agent\/saml\/acs$/,
  ],
  admin: [/^\/admin(?:\/|$)/],
  // The session, the chat window's state, the agent console's JSON.
  api: [/(?:^|\/)api(?:\/|$)/],
}
