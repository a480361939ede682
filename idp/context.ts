import type { ArtifactStore } from './artifact/artifact-store.ts'
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
  sessions: IdpSessionStore
  flows: FlowStore
  /** Responses waiting to be fetched by artifact (HTTP-Artifact binding). */
  artifacts: ArtifactStore
  /** Single logouts in progress, by the ID of the LogoutRequest each waits on. */
  logoutFlows: LogoutFlowStore
  /** One-shot headless sign-ins: the next flow completes as this user, without a form. */
  nextLogins: string[]
}
