import { type Clock, systemClock } from '../core/clock/index.ts'
import type { Credential } from '../core/keys/index.ts'
import { type Random, systemRandom } from '../core/random/index.ts'
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
  clock?: Clock
  random?: Random
  /** IdP sign-in session lifetime (default 8 hours). */
  sessionLifetimeMs?: number
  /** How long an HTTP-Artifact artifact can be resolved, on the injected clock (default 60 s). */
  artifactLifetimeMs?: number
  log?: (line: string) => void
  /** Outbound HTTP (SP metadata URLs); injected so tests need no sockets. */
  fetch?: typeof fetch
}

export interface ResolvedIdpOptions {
  baseUrl: string
  entityId: string
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
  }
}

export function resolveIdpOptions(options: IdpOptions): ResolvedIdpOptions {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  return {
    baseUrl,
    entityId: options.entityId ?? `${baseUrl}/saml/metadata`,
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
    },
  }
}
