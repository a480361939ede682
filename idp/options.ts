import * as z from 'zod'
import { type Clock, systemClock } from '../core/clock/index.ts'
import { parseConfig } from '../core/config/parse-config.ts'
import {
  baseUrlSchema,
  clockSchema,
  credentialSchema,
  fetchSchema,
  keyObjectSchema,
  logSchema,
  millisecondsSchema,
  randomSchema,
} from '../core/config/shapes.ts'
import {
  createFetchPolicy,
  type FetchPolicy,
  type HostLookup,
  namedHosts,
} from '../core/http/fetch-policy/fetch-policy.ts'
import { adminTokenSchema } from '../core/http/guard/server-options.ts'
import type { Credential } from '../core/keys/index.ts'
import { type Random, systemRandom } from '../core/random/index.ts'
import { faultSchema } from './faults/schema.ts'
import { jwtSpRegistrationSchema } from './jwt/registration.ts'
import { oidcClientSchema } from './oidc/clients.ts'
import { spRegistrationSchema } from './service-providers/registration.ts'
import type { IdpDatabase } from './store/database.ts'
import { userSchema } from './users/user.ts'

/** The IdP database (better-sqlite3), checked by shape. */
export const idpDatabaseSchema = z.custom<IdpDatabase>((value) => {
  const db = value as Partial<IdpDatabase> | null
  return typeof db?.prepare === 'function' && typeof db.open === 'boolean'
}, 'an IdP database from openIdpDatabase (idp/store/database.ts)')

const logToStderr = (line: string) => console.error(line)
const globalFetch: typeof fetch = (input, init) => fetch(input, init)

/**
 * Everything `createIdp` takes, validated once as a whole: an unknown key, a bad URL or a
 * negative lifetime is CONFIG_INVALID naming its dotted path. Only `baseUrl` and `credential`
 * are required; every default is here.
 */
export const idpOptionsSchema = z
  .object({
    /** Where the IdP is reached, e.g. `http://127.0.0.1:7000` (no trailing slash needed). */
    baseUrl: baseUrlSchema,
    /** The signing key and certificate (see core/keys). */
    credential: credentialSchema,
    /** Defaults to `<baseUrl>/saml/metadata`. */
    entityId: z.string().min(1).optional(),
    /** The IdP's users (default: the built-in alice, bob, carol and dave). */
    users: z.array(userSchema).optional(),
    /** SAML SPs registered from the start (idp/service-providers/registration.ts). */
    serviceProviders: z.array(spRegistrationSchema).default([]),
    /** SPs that sign visitors in with a JWT (idp/jwt/registration.ts). */
    jwtServiceProviders: z.array(jwtSpRegistrationSchema).default([]),
    /** Clients of the OpenID Connect / OAuth 2 provider (idp/oidc/clients.ts). */
    oidcClients: z.array(oidcClientSchema).default([]),
    /** `iss` of JWTs and ID tokens (default: `baseUrl`). */
    issuer: z.string().min(1).optional(),
    /**
     * The scope of scoped attributes (eduPersonPrincipalName, subject-id: `<id>@<scope>`),
     * published as shibmd:Scope in the metadata (default: the host of `baseUrl`).
     */
    scope: z.string().min(1).optional(),
    /** The first ES256 signing key (P-256 private key); generated when absent. */
    ecSigningKey: keyObjectSchema('private').optional(),
    clock: clockSchema.default(systemClock),
    random: randomSchema.default(systemRandom),
    /** IdP sign-in session lifetime (default 8 hours). */
    sessionLifetimeMs: millisecondsSchema().default(8 * 3_600_000),
    /** How long an HTTP-Artifact artifact can be resolved, on the injected clock (default 60 s). */
    artifactLifetimeMs: millisecondsSchema().default(60_000),
    /** Where the IdP's log lines go (default: stderr). */
    log: logSchema.default(() => logToStderr),
    /** Outbound HTTP (SP metadata URLs); injected so tests need no sockets. */
    fetch: fetchSchema.default(() => globalFetch),
    /**
     * Hosts outbound fetches (an SP's metadataUrl, a logout token to a back-channel logout URI or
     * sign-off URL) may reach besides loopback and public addresses and the hosts of the URLs the
     * options' clients and JWT SPs name: names, IP addresses, CIDR ranges (core/http/fetch-policy).
     * Link-local and private addresses are refused unless named here.
     */
    allowedFetchHosts: z.array(z.string().min(1)).default([]),
    /** Resolves host names for the outbound policy (default: the system resolver). */
    lookup: z
      .custom<HostLookup>((value) => typeof value === 'function', 'a host name lookup function')
      .optional(),
    /** How long a metadataUrl may take to answer; every failure is answered after it (default 5 s). */
    metadataFetchTimeoutMs: millisecondsSchema().default(5_000),
    /** Faults active from the start (faults/README.md). */
    faults: z.array(faultSchema).default([]),
    /**
     * Set, every /admin call needs `Authorization: Bearer <adminToken>` (16+ printable characters).
     * `serve` and `attack` require one on a non-loopback address.
     */
    adminToken: adminTokenSchema.optional(),
    /**
     * Which pages may show the IdP's pages in a frame (CSP `frame-ancestors`, login/frame-policy.ts):
     * absent, any (no header, as most test IdPs); `[]`, none (also `X-Frame-Options: DENY`); or
     * these sources, e.g. `["'self'", "http://127.0.0.1:7100"]`.
     */
    frameAncestors: z
      .array(
        z
          .string()
          .regex(
            /^(?:'self'|https?:\/\/[^\s;,']+)$/,
            "'self' or an origin such as https://sp.example",
          ),
      )
      .optional(),
    /**
     * The IdP database (idp/store/database.ts): sessions, artifacts and what the admin API added.
     * Default: a new in-memory one; `serve` passes its file so a restart loses nothing.
     */
    database: idpDatabaseSchema.optional(),
  })
  .strict()

export type IdpOptions = z.input<typeof idpOptionsSchema>

export interface ResolvedIdpOptions {
  baseUrl: string
  entityId: string
  issuer: string
  scope: string
  credential: Credential
  clock: Clock
  random: Random
  sessionLifetimeMs: number
  artifactLifetimeMs: number
  log: (line: string) => void
  fetch: typeof fetch
  fetchPolicy: FetchPolicy
  metadataFetchTimeoutMs: number
  adminToken?: string | undefined
  frameAncestors?: string[] | undefined
  database?: IdpDatabase | undefined
  urls: {
    metadata: string
    sso: string
    login: string
    idpInitiated: string
    /** ArtifactResolutionService (SOAP). */
    artifactResolution: string
    /** SingleLogoutService (HTTP-Redirect and HTTP-POST). */
    slo: string
    /** The IdP's own sign-out page. */
    logout: string
    /** JWT remote login URL, sign-off URL, certificate, JWKS and JavaScript API (idp/jwt). */
    jwtLogin: string
    jwtLogout: string
    jwtCertificate: string
    jwks: string
    jwtToken: string
    /** OpenID Connect provider endpoints (idp/oidc) and its discovery document. */
    discovery: string
    oidcAuthorize: string
    oidcToken: string
    oidcUserinfo: string
    oidcJwks: string
    oidcEndSession: string
    /** Distributed claims (`oidc-claim-sources`) and third-party-initiated login. */
    oidcClaims: string
    oidcInitiateLogin: string
  }
}

/** The options with every default filled in; the data that seeds the stores stays apart. */
export type IdpSeeds = Pick<
  z.output<typeof idpOptionsSchema>,
  'users' | 'serviceProviders' | 'jwtServiceProviders' | 'oidcClients' | 'ecSigningKey' | 'faults'
>

/** Validates `createIdp`'s options (CONFIG_INVALID naming the setting) and fills in defaults. */
export function resolveIdpOptions(input: IdpOptions): {
  resolved: ResolvedIdpOptions
  seeds: IdpSeeds
} {
  const {
    users,
    serviceProviders,
    jwtServiceProviders,
    oidcClients,
    ecSigningKey,
    faults,
    ...options
  } = parseConfig(idpOptionsSchema, input, 'createIdp options')
  const { baseUrl } = options
  const resolved: ResolvedIdpOptions = {
    ...options,
    fetchPolicy: createFetchPolicy({
      allowHosts: [
        ...namedHosts(...oidcClients, ...jwtServiceProviders),
        ...options.allowedFetchHosts,
      ],
      ...(options.lookup ? { lookup: options.lookup } : {}),
    }),
    entityId: options.entityId ?? `${baseUrl}/saml/metadata`,
    issuer: options.issuer ?? baseUrl,
    scope: options.scope ?? new URL(baseUrl).hostname.replace(/^\[|\]$/g, ''),
    urls: {
      metadata: `${baseUrl}/saml/metadata`,
      sso: `${baseUrl}/saml/sso`,
      login: `${baseUrl}/login`,
      idpInitiated: `${baseUrl}/saml/idp-initiated`,
      artifactResolution: `${baseUrl}/saml/artifact`,
      slo: `${baseUrl}/saml/slo`,
      logout: `${baseUrl}/logout`,
      jwtLogin: `${baseUrl}/jwt/login`,
      jwtLogout: `${baseUrl}/jwt/logout`,
      jwtCertificate: `${baseUrl}/jwt/certificate.pem`,
      jwks: `${baseUrl}/jwt/jwks.json`,
      jwtToken: `${baseUrl}/jwt/token`,
      discovery: `${baseUrl}/.well-known/openid-configuration`,
      oidcAuthorize: `${baseUrl}/oidc/authorize`,
      oidcToken: `${baseUrl}/oidc/token`,
      oidcUserinfo: `${baseUrl}/oidc/userinfo`,
      oidcJwks: `${baseUrl}/oidc/jwks`,
      oidcEndSession: `${baseUrl}/oidc/end-session`,
      oidcClaims: `${baseUrl}/oidc/claims`,
      oidcInitiateLogin: `${baseUrl}/oidc/initiate-login`,
    },
  }
  return {
    resolved,
    seeds: { users, serviceProviders, jwtServiceProviders, oidcClients, ecSigningKey, faults },
  }
}
