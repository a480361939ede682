import type { Context } from 'hono'
import type { VerificationKeys } from '../core/jwt/verification-keys.ts'
import type { Contact, ContactStore } from './accounts/contacts.ts'
import type { PendingSignIn } from './accounts/pending-sign-in.ts'
import type { CampaignSettings } from './campaigns/settings.ts'
import type { SpDiagnostics } from './diagnostics/create-diagnostics.ts'
import type { OidcRuntime } from './oidc/runtime.ts'
import type { ResolvedSpOptions } from './options.ts'
import type { SiteLink } from './pages/site-links.tsx'
import type { SpCookieNames } from './session/cookies.ts'
import type { PendingRequestStore } from './session/pending-requests.ts'
import type { ReplayCache } from './session/replay-cache.ts'
import type { SpSessionStore } from './session/sp-sessions.ts'
import type { PendingLogoutStore } from './slo/pending-logouts.ts'
import type { BrowserBoundMap } from './store/browser-bound-map.ts'
import type { SpDatabase } from './store/database.ts'

/** Called once a visitor's sign-in completed (the messenger attaches the identity to a chat). */
export type SignInListener = (c: Context, event: { contact: Contact; sessionToken: string }) => void

/**
 * One campaign connection's state, shared by its route handlers: the protocol options (URLs
 * under the connection's base), the campaign's visitor rules, and its stores in the SP database.
 */
export interface SpContext {
  options: ResolvedSpOptions
  campaign: CampaignSettings
  /** '' for the campaign at the SP's root, `/c/<id>` for the others. */
  pathPrefix: string
  cookies: SpCookieNames
  db: SpDatabase
  contacts: ContactStore
  pending: PendingRequestStore
  replay: ReplayCache
  sessions: SpSessionStore
  /** LogoutRequests this SP sent and waits to hear back on. */
  pendingLogouts: PendingLogoutStore
  /** Sign-ins waiting for the visitor to choose a username, bound to their cookie. */
  pendingSignIns: BrowserBoundMap<PendingSignIn>
  signInListeners: SignInListener[]
  /** The keys sign-in JWTs are verified with (protocol `jwt`). */
  jwtKeys: VerificationKeys | undefined
  /** Provider metadata, logins in progress and end_session returns (protocol `oidc`). */
  oidc: OidcRuntime | undefined
  /** `ssoproof sp`: sign-in attempts recorded for the diagnostics pages (options.diagnostics). */
  diagnostics?: SpDiagnostics | undefined
  /** The SP's pages for its navigation, one list for every connection (pages/site-links.tsx). */
  siteLinks: SiteLink[]
}
