import { z } from 'zod'
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
    issuer: z.string().optional(),
    /** OIDC: the last authorization request's PKCE method (`S256`, `plain`, or `none`). */
    pkce: z.string().optional(),
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
      const last = requests.at(-1)
      const fields = [
        ['acs url', last?.acsUrl ?? '(none)'],
        ['signed', last?.signed],
        ['force authn', last?.forceAuthn],
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
