import type { KeyObject } from 'node:crypto'
import { type Clock, systemClock } from '../core/clock/index.ts'
import type { Credential } from '../core/keys/index.ts'
import { type Random, systemRandom } from '../core/random/index.ts'
import type { FaultInput } from './faults/schema.ts'
import type { JwtSpRegistrationInput } from './jwt/registration.ts'
import type { OidcClientInput } from './oidc/clients.ts'
import type { SpRegistrationInput } from './service-providers/registration.ts'
import type { IdpUserInput } from './users/user.ts'

/** Everything `createIdp` takes. Only `baseUrl` and `credential` are required. */
export interface IdpOptions {
  /** Where the IdP is reached, e.g. `http://127.0.0.1:7000` (no trailing slash needed). */
  baseUrl: string
  /** The signing key and certificate (see core/keys). */
  credential: Credential
  /** Defaults to `<baseUrl>/saml/metadata`. */
  entityId?: string
  users?: IdpUserInput[]
  serviceProviders?: SpRegistrationInput[]
  /** SPs that sign visitors in with a JWT (idp/jwt). */
  jwtServiceProviders?: JwtSpRegistrationInput[]
  /** Clients of the OpenID Connect / OAuth 2 provider (idp/oidc). */
  oidcClients?: OidcClientInput[]
  /** `iss` of JWTs and ID tokens (default: `baseUrl`). */
  issuer?: string
  /**
   * The scope of scoped attributes (eduPersonPrincipalName, subject-id: `<id>@<scope>`),
   * published as shibmd:Scope in the metadata (default: the host of `baseUrl`).
   */
  scope?: string
  /** The first ES256 signing key (P-256 private key); generated when absent. */
  ecSigningKey?: KeyObject
  clock?: Clock
  random?: Random
  /** IdP sign-in session lifetime (default 8 hours). */
  sessionLifetimeMs?: number
  /** How long an HTTP-Artifact artifact can be resolved, on the injected clock (default 60 s). */
  artifactLifetimeMs?: number
  log?: (line: string) => void
  /** Outbound HTTP (SP metadata URLs); injected so tests need no sockets. */
  fetch?: typeof fetch
  /** Faults active from the start (faults/README.md); validated, CONFIG_INVALID names `faults.N`. */
  faults?: FaultInput[]
}

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

export function resolveIdpOptions(options: IdpOptions): ResolvedIdpOptions {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  return {
    baseUrl,
    entityId: options.entityId ?? `${baseUrl}/saml/metadata`,
    issuer: options.issuer ?? baseUrl,
    scope: options.scope ?? new URL(baseUrl).hostname.replace(/^\[|\]$/g, ''),
    credential: options.credential,
    clock: options.clock ?? systemClock,
    random: options.random ?? systemRandom,
    sessionLifetimeMs: options.sessionLifetimeMs ?? 8 * 3_600_000,
    artifactLifetimeMs: options.artifactLifetimeMs ?? 60_000,
    log: options.log ?? ((line) => console.error(line)),
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
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
}
