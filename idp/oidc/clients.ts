import * as z from 'zod'
import { parseConfig } from '../../core/config/parse-config.ts'
import type { RecordTable } from '../store/record-table.ts'
import { createSeededRegistry } from '../store/seeded-registry.ts'

const httpUrl = z.url({ protocol: /^https?$/ })

/** Authorization request parameters an OAuth2-mode client may call by other names. */
export const renamableParameters = [
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'response_type',
] as const

/**
 * A client of the OpenID Connect provider, from config or the admin API (OIDC Registration's
 * words where they exist). `mode: "oauth2"` makes the provider behave like a plain OAuth 2 IdP
 * for this client: no ID token, no `openid` scope needed, user claims only from userinfo and
 * under the client's own names, and authorization parameters under other names if asked.
 */
export const oidcClientSchema = z
  .object({
    clientId: z.string().min(1).max(200),
    /** Absent: a public client — PKCE required, no client authentication. */
    clientSecret: z.string().min(16).optional(),
    /** Compared exactly (OIDC Core §3.1.2.1). */
    redirectUris: z.array(httpUrl).min(1),
    /** Where end_session may send the browser back to, compared exactly. */
    postLogoutRedirectUris: z.array(httpUrl).default([]),
    /** The scopes this client may ask for. */
    scopes: z
      .array(z.string().min(1))
      .default(['openid', 'profile', 'email', 'phone', 'offline_access']),
    /**
     * A requested scope this client may not ask for: `ignore` leaves it out of the grant (OIDC
     * Core §3.1.2.1: scope values not understood SHOULD be ignored), `refuse` answers invalid_scope.
     */
    unknownScopes: z.enum(['ignore', 'refuse']).default('ignore'),
    /** Custom scopes: scope → the user attributes it releases as claims. */
    claims: z.record(z.string(), z.array(z.string().min(1))).default({}),
    /** Always require PKCE (public clients always do). */
    requirePkce: z.boolean().default(false),
    /** HS256 signs with the client secret (OIDC Core §10.1); RS256 and ES256 with the IdP's keys. */
    idTokenSignedResponseAlg: z.enum(['RS256', 'ES256', 'HS256']).default('RS256'),
    /** Set: userinfo answers a signed JWT (application/jwt) instead of JSON (OIDC Core §5.3.2). */
    userinfoSignedResponseAlg: z.enum(['RS256', 'ES256', 'HS256']).optional(),
    /** OIDC Back-Channel Logout 1.0 §2.2: where the IdP POSTs a logout_token when the session ends. */
    backchannelLogoutUri: httpUrl.optional(),
    /** The logout_token must carry `sid` (the IdP always sends it). */
    backchannelLogoutSessionRequired: z.boolean().default(false),
    /** OIDC Front-Channel Logout 1.0 §2: the URL the IdP's logout page loads in an iframe. */
    frontchannelLogoutUri: httpUrl.optional(),
    /** The iframe URL must carry `iss` and `sid` (the IdP always sends them). */
    frontchannelLogoutSessionRequired: z.boolean().default(false),
    /**
     * OIDC Core §4: where a login initiated by the IdP starts at the client, with `iss`,
     * `login_hint` and `target_link_uri` (GET /oidc/initiate-login).
     */
    initiateLoginUri: httpUrl.optional(),
    /** More audiences of the ID token; with any, `azp` names the client (OIDC Core §2). */
    additionalAudiences: z.array(z.string().min(1)).default([]),
    accessTokenLifetimeSeconds: z.number().int().positive().default(3600),
    idTokenLifetimeSeconds: z.number().int().positive().default(600),
    /** Issue a refresh token with the code exchange (default true). */
    issueRefreshToken: z.boolean().default(true),
    mode: z.enum(['oidc', 'oauth2']).default('oidc'),
    /** OAuth2 mode: standard authorization parameter name → the name this client uses. */
    parameterNames: z.partialRecord(z.enum(renamableParameters), z.string().min(1)).default({}),
    /** OAuth2 mode: standard claim name → the name userinfo uses for it (e.g. sub → user_id). */
    claimNames: z.record(z.string(), z.string().min(1)).default({}),
  })
  .strict()
  .superRefine((client, ctx) => {
    const needsSecret = [
      ['idTokenSignedResponseAlg', client.idTokenSignedResponseAlg],
      ['userinfoSignedResponseAlg', client.userinfoSignedResponseAlg],
    ] as const
    for (const [path, alg] of needsSecret) {
      // RFC 7518 §3.2: an HMAC key of at least the hash size.
      if (alg === 'HS256' && Buffer.byteLength(client.clientSecret ?? '') < 32) {
        ctx.addIssue({
          code: 'custom',
          path: [path],
          message: 'HS256 needs a clientSecret of 32 bytes or more',
        })
      }
    }
  })

export type OidcClient = z.output<typeof oidcClientSchema>
export type OidcClientInput = z.input<typeof oidcClientSchema>

/** What the admin API shows of a client: never the secret. */
export function publicClient(client: OidcClient) {
  const { clientSecret, ...rest } = client
  return { ...rest, confidential: clientSecret !== undefined }
}

export interface OidcClientRegistry {
  get(clientId: string): OidcClient | undefined
  list(): OidcClient[]
  register(input: unknown): OidcClient
}

export function createOidcClientRegistry(
  initial: OidcClientInput[] = [],
  stored?: RecordTable<OidcClient>,
): OidcClientRegistry {
  const { get, list, register } = createSeededRegistry(
    (input) => parseConfig(oidcClientSchema, input, 'oidcClient'),
    (client) => client.clientId,
    initial,
    stored,
  )
  return { get, list, register }
}
