import * as z from 'zod'
import { defineCheck } from './expectation.ts'

/**
 * What the IdP received from the SP, read from the protocol trace. In URLs, `{sp}` and `{idp}`
 * stand for the SP's and the IdP's base URL (they differ between drivers).
 */
const idpReceivedSchema = z
  .object({
    /**
     * How many sign-in requests reached the IdP during the scenario: SAML AuthnRequests, JWT
     * remote-login requests or OIDC authorization requests.
     */
    authnRequests: z.number().int().nonnegative().optional(),
    /** How many ArtifactResolve requests reached the IdP's resolution service. */
    artifactResolves: z.number().int().nonnegative().optional(),
    /** Properties of the last AuthnRequest. */
    'acs url': z.string().optional(),
    signed: z.boolean().optional(),
    'force authn': z.boolean().optional(),
    /** The last sign-in request asked silently: SAML IsPassive, OIDC or JWT `prompt=none`. */
    passive: z.boolean().optional(),
    issuer: z.string().optional(),
    /** OIDC: the last authorization request's PKCE method (`S256`, `plain`, or `none`). */
    pkce: z.string().optional(),
    /** OIDC: how the client authenticated at the token endpoint last (`client_secret_basic`, …). */
    'client authentication': z.string().optional(),
    /** OIDC: how many refresh_token grants reached the token endpoint. */
    refreshes: z.number().int().nonnegative().optional(),
    /** OIDC: how the last userinfo request sent its access token (`header` or `form`). */
    'userinfo token': z.enum(['header', 'form']).optional(),
  })
  .strict()

export const idpReceivedChecks = {
  'idp received': defineCheck({
    schema: idpReceivedSchema,
    check(expected, { world, compare }) {
      const requests = world.trace.authnRequests
      if (expected.authnRequests !== undefined) {
        compare('idp received authnRequests', expected.authnRequests, requests.length)
      }
      if (expected.artifactResolves !== undefined) {
        compare(
          'idp received artifactResolves',
          expected.artifactResolves,
          world.trace.artifactResolves,
        )
      }
      const tokenRequests = world.idp.journal
        .list({ message: 'OidcToken' })
        .flatMap((entry) => (entry.message === 'OidcToken' ? [entry] : []))
      if (expected['client authentication'] !== undefined) {
        compare(
          'idp received client authentication',
          expected['client authentication'],
          tokenRequests.at(-1)?.clientAuthentication ?? '(no token request)',
        )
      }
      if (expected.refreshes !== undefined) {
        compare(
          'idp received refreshes',
          expected.refreshes,
          tokenRequests.filter((entry) => entry.grantType === 'refresh_token').length,
        )
      }
      if (expected['userinfo token'] !== undefined) {
        const userinfo = world.idp.journal
          .list({ message: 'OidcUserinfo' })
          .flatMap((entry) => (entry.message === 'OidcUserinfo' ? [entry] : []))
        compare(
          'idp received userinfo token',
          expected['userinfo token'],
          userinfo.at(-1)?.accessToken ?? '(no userinfo request)',
        )
      }
      const last = requests.at(-1)
      const fields = [
        ['acs url', last?.acsUrl ?? '(none)'],
        ['signed', last?.signed],
        ['force authn', last?.forceAuthn],
        ['passive', last?.passive],
        ['issuer', last?.issuer ?? '(none)'],
        ['pkce', last?.pkce ?? '(not OIDC)'],
      ] as const
      const withBaseUrls = (text: string) =>
        text.replaceAll('{sp}', world.spUrl).replaceAll('{idp}', world.idpUrl)
      for (const [key, actual] of fields) {
        const value = expected[key]
        if (value === undefined) continue
        const written = typeof value === 'string' ? withBaseUrls(value) : value
        compare(`idp received ${key}`, written, last ? actual : '(no AuthnRequest received)')
      }
    },
  }),
}
