import * as z from 'zod'
import { parseConfig } from '../core/config/parse-config.ts'
import { baseUrlSchema, credentialSchema, fetchSchema } from '../core/config/shapes.ts'
import type { SpRegistrationInput } from '../idp/service-providers/registration.ts'
import { agentSsoFileSchema } from '../sp/agents/settings.ts'
import { spJwtSettingsSchema } from '../sp/jwt/settings.ts'
import { renamableParameters, spOidcSettingsSchema } from '../sp/oidc/settings.ts'
import { campaignConnectionSchema, spOptionsObject, spProtocols } from '../sp/options.ts'
import { pairIdpShape } from './pair-idp-options.ts'

/**
 * JWT or OIDC settings the pair merges over the ones it registers (`{ ...registered, ...given }`):
 * any subset of the keys createSp takes there; createSp checks the merged settings.
 */
const settingsOverride = (schema: { shape: z.ZodRawShape }) =>
  z.object(schema.shape).partial().strict().optional()
const jwtOverride = settingsOverride(spJwtSettingsSchema)
const oidcOverride = settingsOverride(spOidcSettingsSchema)

const objectSchema = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), what)

/**
 * Everything `createPair` takes, validated once as a whole (CONFIG_INVALID naming the setting,
 * `sp.sessionInactivtyMs` with the setting it was meant to be). The IdP and the SP each check
 * their own part again when created: the pair only adds its wiring.
 */
export const pairOptionsSchema = z
  .object({
    // The IdP's settings and the shared ones (pair-idp-options.ts), then the SP's.
    ...pairIdpShape,
    spBaseUrl: baseUrlSchema,
    spCredential: credentialSchema,
    /**
     * Extra SP settings (skew, unsolicited, …), each as createSp takes it. Each of `sp.campaigns`
     * is wired to the IdP too, in its own `protocol` (else `protocol` below), under its base URL
     * `<spBaseUrl>/c/<id>`. `sp.idp`: the root campaign signs in at an IdP of its own.
     */
    sp: spOptionsObject
      .omit({ baseUrl: true, credential: true })
      .partial()
      // What the pair fills in may be left out: agent SSO sites' IdP URLs and certificate, the
      // JWT and OIDC settings it registers (the root's and each campaign's).
      .extend({
        agentSso: agentSsoFileSchema.optional(),
        jwt: jwtOverride,
        oidc: oidcOverride,
        campaigns: z
          .array(campaignConnectionSchema.extend({ jwt: jwtOverride, oidc: oidcOverride }).strict())
          .optional(),
      })
      .strict()
      .optional(),
    /** The SP's outbound HTTP (artifact resolution at the IdP); default: global fetch. */
    spFetch: fetchSchema.optional(),
    /** Settings of the IdP's registration of the SP that metadata cannot say (e.g. responseBinding). */
    spRegistration: objectSchema<Partial<SpRegistrationInput>>(
      'settings of the IdP registration (idp/service-providers/registration.ts)',
    ).optional(),
    /**
     * What the SP signs in with (default `saml`). `jwt`: the IdP registers the SP as a JWT SP
     * (return URLs under the SP's origin) and the SP gets the IdP's remote login and sign-off
     * URLs, issuer and key. `oidc`: the IdP registers the SP as an OpenID Connect client
     * (redirect URI `/oidc/callback`, post-logout `/`, a fresh secret, a custom `membership`
     * scope) and the SP gets the issuer, client ID and secret. SAML stays wired either way.
     */
    protocol: z.enum(spProtocols).optional(),
    /**
     * For protocol `jwt`: the algorithm (default RS256) and, for RS256, whether the SP reads the
     * key from the certificate (default) or the JWKS URL. ES256 always uses the JWKS URL.
     */
    jwt: z
      .object({
        algorithm: z.enum(['RS256', 'ES256', 'HS256']).optional(),
        key: z.enum(['certificate', 'jwks']).optional(),
        /** The IdP's names for the user's claims (`{ id: member_id }`), registered at both ends. */
        claimNames: z.record(z.string(), z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
    /**
     * For protocol `oidc`: `oauth2` mode (no ID token; the IdP takes `app_id` and `callback_url`
     * for client_id and redirect_uri and calls `sub`, `email`, `name` `user_id`, `mail`,
     * `display_name`, and the SP is told so), the client authentication, and whether the SP
     * discovers the endpoints (default in OIDC mode) or is given them.
     */
    oidc: z
      .object({
        mode: z.enum(['oidc', 'oauth2']).optional(),
        /** In `oauth2` mode, the IdP's names instead of the defaults above (both ends agree). */
        parameterNames: z.partialRecord(z.enum(renamableParameters), z.string().min(1)).optional(),
        claimNames: z.record(z.string(), z.string().min(1)).optional(),
        clientAuthentication: z.enum(['client_secret_basic', 'client_secret_post']).optional(),
        discovery: z.boolean().optional(),
        /** What the client registers for its ID tokens and userinfo (default RS256, JSON userinfo). */
        idTokenSignedResponseAlg: z.enum(['RS256', 'ES256', 'HS256']).optional(),
        userinfoSignedResponseAlg: z.enum(['RS256', 'ES256', 'HS256']).optional(),
        /** How the IdP signs the client off when the user's session ends (default back-channel). */
        logout: z.enum(['back-channel', 'front-channel', 'both', 'none']).optional(),
        /** How the SP asks for the authorization response (default query). */
        responseMode: z.enum(['query', 'form_post']).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()

export type PairOptions = z.input<typeof pairOptionsSchema>

/** What wiring one more SP to a running IdP takes (`attachSp`): the pair's options but the IdP's. */
export const spPairOptionsSchema = pairOptionsSchema.omit({
  idpBaseUrl: true,
  idpCredential: true,
  idpFetch: true,
  idpFrameAncestors: true,
  idpDatabase: true,
  users: true,
})

export type SpPairOptions = z.input<typeof spPairOptionsSchema>

/**
 * Validates `createPair`'s options. `sp` is checked here and handed to createSp as it was given
 * (createSp fills its own defaults); the rest is the pair's own.
 */
export function parsePairOptions(input: PairOptions): PairOptions {
  parseConfig(pairOptionsSchema, input, 'createPair options')
  return input
}

/** Validates `attachSp`'s options, as `parsePairOptions` does the pair's. */
export function parseSpPairOptions(input: SpPairOptions): SpPairOptions {
  parseConfig(spPairOptionsSchema, input, 'attachSp options')
  return input
}
