import type { RouteTable } from '../core/http/guard/request-guard.ts'

/**
 * The IdP's routes as its request guard sees them (core/http/guard/request-guard.ts); every
 * other POST is a page's own (the login form, the sign-out button).
 */
export const idpRoutes: RouteTable = {
  crossSiteByDesign: [
    // SAML bindings: AuthnRequest and logout messages posted by an SP's page; ArtifactResolve (SOAP).
    /^\/saml\/(?:sso|slo|artifact)$/,
    // OAuth / OIDC: the RP's form post, its back channel, RP-initiated logout (as its GET does).
    /^\/oidc\/(?:authorize|token|userinfo|end-session)$/,
    // The JWT and SAML artifact hand-overs called from the SP's page; CORS decides who reads the answer.
    /^\/jwt\/token$/,
    /^\/saml\/page-artifact$/,
  ],
  admin: [/^\/admin(?:\/|$)/],
  api: [],
}
