import type { RouteTable } from '../core/http/guard/request-guard.ts'

/** A campaign's own routes live at the root or under /c/<id>/ (a regular expression's source). */
export const campaignPrefix = '(?:/c/[^/]+)?'

/**
 * The SP's routes as its request guard sees them (core/http/guard/request-guard.ts); every other
 * POST is a page's own: sign-out, the messenger, the username question, the agent console and
 * its sign-in, the guided check.
 */
export const spRoutes: RouteTable = {
  crossSiteByDesign: [
    // The IdP's self-submitting forms (SAML HTTP-POST, OIDC form_post), a site's page handing
    // over a JWT, an OP starting a login (OIDC Core §4, POST allowed).
    new RegExp(
      `^${campaignPrefix}/(?:saml/acs|saml/slo|jwt/callback|oidc/callback|oidc/initiate-login)$`,
    ),
    // Back channels: the IdP posts a signed logout token, server to server.
    new RegExp(`^${campaignPrefix}/(?:oidc/backchannel-logout|jwt/sign-off)$`),
    /^\/agent\/saml\/acs$/,
  ],
  admin: [/^\/admin(?:\/|$)/],
  // The session, the chat window's state, the agent console's JSON.
  // SCIM 2.0 (agents/scim/): server-to-server JSON with its own bearer token per site.
  api: [/(?:^|\/)api(?:\/|$)/, /^\/scim\/v2(?:\/|$)/],
}
