import type { ResolvedSpOptions } from '../options.ts'
import type { ReplayCache } from '../session/replay-cache.ts'
import type { StoredExpiringMap } from '../store/stored-expiring-map.ts'
import type { AgentSessionStore } from './agent-sessions.ts'
import type { AgentStore } from './agent-store.ts'
import type { AgentSiteSettings } from './settings.ts'
import type { SiteCertificate } from './site-certificate.ts'

/** A site with its IdP certificates (one, or two during a rollover) read and checked (SHA-256) at start. */
export interface AgentSite extends Omit<AgentSiteSettings, 'certificate'> {
  certificates: SiteCertificate[]
}

/** An agent SSO sign-in this browser started at /agent/login: for which site, and where to go after. */
export interface PendingAgentSignIn {
  siteId: string
  /** The AuthnRequest ID (SAML); none for JWT. */
  requestId: string | undefined
  returnPath: string
}

/** The agent side's cookies, apart from the visitors'. */
export const agentCookies = {
  /** The agent session (httpOnly). */
  session: 'ssoproof_agent_session',
  /** Binds an SSO sign-in in progress to the browser that started it. */
  pending: 'ssoproof_agent_pending',
  /** The site ID this browser gave once (Comm100: asked at the first SSO login only). */
  site: 'ssoproof_agent_site',
} as const

/** Agent SSO's state, shared by its route handlers (mount-agent-sso.tsx lists them). */
export interface AgentSsoContext {
  /** The SP's root connection: clock, randomness, keys, clock skew, lifetimes, log. */
  options: ResolvedSpOptions
  sites: ReadonlyMap<string, AgentSite>
  agents: AgentStore
  sessions: AgentSessionStore
  /** Sign-ins in progress, by the SHA-256 of the browser's pending cookie. */
  pending: StoredExpiringMap<PendingAgentSignIn>
  replay: ReplayCache
  /** The agent side's own SAML entity ID (the Audience agent assertions must name). */
  entityId: string
  urls: {
    metadata: string
    acs: string
    jwtCallback: string
    signedOut: string
    loginError: string
  }
}
