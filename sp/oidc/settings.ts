import * as z from 'zod'
import { isHmacAlgorithm, jwsAlgorithms } from '../../core/jwt/algorithms.ts'

const httpUrl = z.url({ protocol: /^https?$/ })

/** Authorization request parameters an OAuth2-mode IdP may call by other names. */
export const renamableParameters = [
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'response_type',
] as const

/**
 * OpenID Connect / OAuth 2 at the reference SP, as inSided names the settings: authentication
 * URL, issuer, token URL, client secret, client ID, scope, userinfo URL — each explicit, or
 * (with an issuer) taken from its discovery document. `mode: "oauth2"` is for IdPs that are not
 * fully OIDC: no ID token, the user from userinfo, parameters and claims under other names.
 */
export const spOidcSettingsSchema = z
  .object({
    /** The issuer; discovery is read from it, and its `issuer` and the ID token's `iss` must equal it exactly. */
    issuer: z.string().min(1).optional(),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional(),
    /** Space-separated (default `openid profile email` in OIDC mode, none in OAuth2 mode). */
    scope: z.string().optional(),
    /** The authentication URL (authorization endpoint). */
    authorizationUrl: httpUrl.optional(),
    tokenUrl: httpUrl.optional(),
    userinfoUrl: httpUrl.optional(),
    jwksUrl: httpUrl.optional(),
    endSessionUrl: httpUrl.optional(),
    /** Read endpoints not given here from `<issuer>/.well-known/openid-configuration` (default: in OIDC mode). */
    discovery: z.boolean().optional(),
    /** Default: client_secret_basic with a secret, none without. */
    clientAuthentication: z.enum(['client_secret_basic', 'client_secret_post', 'none']).optional(),
    mode: z.enum(['oidc', 'oauth2']).default('oidc'),
    /** Standard authorization parameter name → the name the IdP wants (OAuth2 mode). */
    parameterNames: z.partialRecord(z.enum(renamableParameters), z.string().min(1)).default({}),
    /** Standard claim name → the name the IdP uses (e.g. `{"sub": "user_id", "email": "mail"}`). */
    claimNames: z.record(z.string(), z.string().min(1)).default({}),
    /**
     * ID token algorithms accepted; HS* is verified with the client secret. Default: those the
     * discovery document lists (`id_token_signing_alg_values_supported`), else RS256.
     */
    idTokenAlgorithms: z.array(z.enum(jwsAlgorithms)).min(1).optional(),
    /** Refuse a userinfo answer that is not a signed JWT (default: JSON or a signed JWT). */
    requireSignedUserinfo: z.boolean().default(false),
    /**
     * How the provider answers the authorization request: `query` (a redirect) or `form_post`
     * (a page that posts to /oidc/callback; OAuth 2.0 Form Post Response Mode).
     */
    responseMode: z.enum(['query', 'form_post']).default('query'),
    /** Send PKCE S256 (default true). */
    pkce: z.boolean().default(true),
    /** Allowed clock difference for the ID token (default: the SP's clockSkewMs). */
    clockSkewMs: z.number().int().nonnegative().optional(),
    /** How long discovery, token, userinfo and JWKS requests may take (default 5 s). */
    httpTimeoutMs: z.number().int().positive().default(5000),
    maxIdTokenBytes: z.number().int().positive().default(16_384),
  })
  .strict()
  .superRefine((settings, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message })
    const discovery = usesDiscovery(settings)
    if (settings.mode === 'oidc' && settings.issuer === undefined)
      issue('issuer', 'OIDC mode needs the issuer')
    if (settings.discovery === true && settings.issuer === undefined)
      issue('issuer', 'discovery needs the issuer')
    if (!discovery) {
      for (const name of ['authorizationUrl', 'tokenUrl'] as const) {
        if (settings[name] === undefined) issue(name, `${name} is needed without discovery`)
      }
      if (settings.mode === 'oauth2' && settings.userinfoUrl === undefined) {
        issue('userinfoUrl', 'OAuth2 mode reads the user from userinfo')
      }
      if (
        settings.mode === 'oidc' &&
        settings.jwksUrl === undefined &&
        !(settings.idTokenAlgorithms ?? ['RS256' as const]).every(isHmacAlgorithm)
      ) {
        issue('jwksUrl', 'the ID token keys: jwksUrl is needed without discovery')
      }
    }
    const auth = settings.clientAuthentication
    if (
      (auth === 'client_secret_basic' || auth === 'client_secret_post') &&
      settings.clientSecret === undefined
    ) {
      issue('clientSecret', `${auth} needs the client secret`)
    }
    if (
      settings.idTokenAlgorithms?.some(isHmacAlgorithm) === true &&
      settings.clientSecret === undefined
    ) {
      issue('clientSecret', 'HS* ID tokens are verified with the client secret')
    }
  })

export type SpOidcSettings = z.input<typeof spOidcSettingsSchema>
export type ResolvedSpOidcSettings = z.output<typeof spOidcSettingsSchema>

/** Whether endpoints not configured come from the issuer's discovery document. */
export function usesDiscovery(settings: {
  discovery?: boolean | undefined
  mode: 'oidc' | 'oauth2'
}) {
  return settings.discovery ?? settings.mode === 'oidc'
}

/** The scope to ask for: the configured one, else OIDC's default. */
export function scopeOf(settings: ResolvedSpOidcSettings): string {
  return settings.scope ?? (settings.mode === 'oidc' ? 'openid profile email' : '')
}
