import type { ExpiringMap } from '../core/clock/expiring-map.ts'
import type { ArtifactStore } from './artifact/artifact-store.ts'
import type { DistributedClaims } from './faults/claim-sources.ts'
import type { FaultSet } from './faults/fault-set.ts'
import type { Journal } from './faults/journal.ts'
import type { JwtSpRegistry } from './jwt/registration.ts'
import type { KeyRing } from './keys/key-ring.ts'
import type { LoginQueue } from './login/login-queue.ts'
import type { OidcClientRegistry } from './oidc/clients.ts'
import type { GrantStore } from './oidc/grants.ts'
import type { ResolvedIdpOptions } from './options.ts'
import type { ServiceProviderRegistry } from './service-providers/registry.ts'
import type { IdpSessionStore } from './session/idp-sessions.ts'
import type { LogoutFlowStore } from './slo/logout-flows.ts'
import type { FlowStore } from './sso/flows.ts'
import type { UserStore } from './users/user-store.ts'

/** The IdP's state, shared by its route handlers. */
export interface IdpContext {
  options: ResolvedIdpOptions
  users: UserStore
  serviceProviders: ServiceProviderRegistry
  /** SPs that sign visitors in with a JWT. */
  jwtServiceProviders: JwtSpRegistry
  /** Token signing keys (JWT and OIDC), each with a kid. */
  keys: KeyRing
  /** Clients of the OpenID Connect / OAuth 2 provider. */
  oidcClients: OidcClientRegistry
  /** Authorization codes, access and refresh tokens. */
  oidcGrants: GrantStore
  sessions: IdpSessionStore
  flows: FlowStore
  /** Responses waiting to be fetched by artifact (HTTP-Artifact binding). */
  artifacts: ArtifactStore
  /** Single logouts in progress, by the ID of the LogoutRequest each waits on. */
  logoutFlows: LogoutFlowStore
  /**
   * One-shot headless sign-ins: the next sign-in request (at the SP named, or at any) completes
   * as this user, without a form; used up by that request, refused or not.
   */
  nextLogins: LoginQueue
  /** Faults to inject into what the IdP builds, signs and delivers (faults/README.md). */
  faults: FaultSet
  /** What each SP sent: AuthnRequests, ArtifactResolves, JWT logins, OIDC requests. */
  journal: Journal
  /** Distributed claims waiting at GET /oidc/claims, by access token (`oidc-claim-sources`). */
  distributedClaims: ExpiringMap<DistributedClaims>
}
