import { createExpiringMap, type ExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Clock } from '../../core/clock/index.ts'
import { createProviderMetadata, type ProviderMetadata } from './provider-metadata.ts'
import type { ResolvedSpOidcSettings } from './settings.ts'

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
  /** By SP session token: the ID token, for end_session's id_token_hint. */
  idTokens: ExpiringMap<string>
}

export const oidcPendingCookie = 'ssoproof_sp_oidc'

export function createOidcRuntime(
  settings: ResolvedSpOidcSettings,
  outbound: { fetch: typeof fetch; clock: Clock },
): OidcRuntime {
  return {
    settings,
    provider: createProviderMetadata(settings, outbound),
    pending: createExpiringMap(outbound.clock),
    idTokens: createExpiringMap(outbound.clock),
  }
}
