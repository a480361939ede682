import type { VerificationKeys } from '../core/jwt/verification-keys.ts'
import type { OidcRuntime } from './oidc/runtime.ts'
import type { ResolvedSpOptions } from './options.ts'
import type { PendingRequestStore } from './session/pending-requests.ts'
import type { ReplayCache } from './session/replay-cache.ts'
import type { SpSessionStore } from './session/sp-sessions.ts'
import type { PendingLogoutStore } from './slo/pending-logouts.ts'

/** The SP's state, shared by its route handlers. */
export interface SpContext {
  options: ResolvedSpOptions
  pending: PendingRequestStore
  replay: ReplayCache
  sessions: SpSessionStore
  /** LogoutRequests this SP sent and waits to hear back on. */
  pendingLogouts: PendingLogoutStore
  /** The keys sign-in JWTs are verified with (protocol `jwt`). */
  jwtKeys: VerificationKeys | undefined
  /** Provider metadata, logins in progress and ID tokens (protocol `oidc`). */
  oidc: OidcRuntime | undefined
}
