import type { Clock } from '../../core/clock/index.ts'
import type { BrowserBoundMap } from '../store/browser-bound-map.ts'
import { createProviderMetadata, type ProviderMetadata } from './provider-metadata.ts'
import type { ResolvedSpOidcSettings } from './settings.ts'

/** A sign-in this browser started: what the callback must find again (RFC 6749 §10.12, RFC 7636). */
export interface PendingOidcLogin {
  state: string
  nonce: string
  codeVerifier: string | undefined
  returnPath: string
  /** Sent with prompt=none: a login_required answer sends the visitor back as a guest. */
  passive?: boolean
}

/**
 * The SP's OIDC state: provider metadata and what is bound to a browser while it is away at the
 * provider. The ID token kept for end_session's id_token_hint lives in the SP session itself
 * (session/sp-sessions.ts), sealed with the session cookie, and ends with it.
 */
export interface OidcRuntime {
  settings: ResolvedSpOidcSettings
  provider: ProviderMetadata
  /** By the value of the pre-login cookie; each is taken once. */
  pending: BrowserBoundMap<PendingOidcLogin>
  /**
   * By the end_session `state`: where the visitor signed out from. The provider sends them back
   * to the registered post-logout URI (the home page) with that state, and home forwards them.
   */
  logoutReturns: BrowserBoundMap<string>
}

export function createOidcRuntime(
  settings: ResolvedSpOidcSettings,
  outbound: { fetch: typeof fetch; clock: Clock },
  maps: {
    pending: BrowserBoundMap<PendingOidcLogin>
    logoutReturns: BrowserBoundMap<string>
  },
): OidcRuntime {
  return { settings, provider: createProviderMetadata(settings, outbound), ...maps }
}
