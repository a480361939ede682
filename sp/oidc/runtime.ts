import type { ExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Clock } from '../../core/clock/index.ts'
import { createProviderMetadata, type ProviderMetadata } from './provider-metadata.ts'
import type { ResolvedSpOidcSettings } from './settings.ts'

/** How long an ID token is kept for end_session's id_token_hint. */
export const maxIdTokenHintMs = 30 * 86_400_000

/** A sign-in this browser started: what the callback must find again (RFC 6749 §10.12, RFC 7636). */
export interface PendingOidcLogin {
  state: string
  nonce: string
  codeVerifier: string | undefined
  returnPath: string
}

/** The SP's OIDC state: provider metadata, logins in progress, ID tokens kept for logout. */
export interface OidcRuntime {
  settings: ResolvedSpOidcSettings
  provider: ProviderMetadata
  /** By the value of the pre-login cookie; each is taken once. */
  pending: ExpiringMap<PendingOidcLogin>
  /** By the SP session's key (sessions.keyOf): the ID token, for end_session's id_token_hint. */
  idTokens: ExpiringMap<string>
  /** By the SP session's key: the refresh token, sealed with the session cookie (store/sealed.ts). */
  refreshTokens: ExpiringMap<string>
  /**
   * By the end_session `state`: where the visitor signed out from. The provider sends them back
   * to the registered post-logout URI (the home page) with that state, and home forwards them.
   */
  logoutReturns: ExpiringMap<string>
}

export function createOidcRuntime(
  settings: ResolvedSpOidcSettings,
  outbound: { fetch: typeof fetch; clock: Clock },
  maps: {
    pending: ExpiringMap<PendingOidcLogin>
    idTokens: ExpiringMap<string>
    refreshTokens: ExpiringMap<string>
    logoutReturns: ExpiringMap<string>
  },
): OidcRuntime {
  return { settings, provider: createProviderMetadata(settings, outbound), ...maps }
}
