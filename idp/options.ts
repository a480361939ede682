import { z } from 'zod'
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
import type { Credential } from '../core/keys/index.ts'
import { type Random, systemRandom } from '../core/random/index.ts'
import { faultSchema } from './faults/schema.ts'
import { jwtSpRegistrationSchema } from './jwt/registration.ts'
import { oidcClientSchema } from './oidc/clients.ts'
import { spRegistrationSchema } from './service-providers/registration.ts'
import { userSchema } from './users/user.ts'

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
    /** Faults active from the start (faults/README.md). */
    faults: z.array(faultSchema).default([]),
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
