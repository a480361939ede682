import { type VerifiedJwt, verifyJwt } from '../../core/jwt/verify.ts'
import type { OidcRuntime } from './runtime.ts'

/** What a token from the provider is checked for, beyond its signature. */
export interface ProviderJwtCheck {
  /** How errors name the token: `ID token`, `logout token`, `userinfo`, `claim source`. */
  label: string
  now: number
  clockSkewMs: number
  requiredClaims: readonly string[]
  /** `iss` must be the configured issuer (else: not checked here). */
  issuer: boolean
  /** `aud` must contain the client ID (else: not checked here). */
  audience: boolean
}

/**
 * Every JWT the provider signs for this client — ID tokens, logout tokens, signed userinfo,
 * aggregated and distributed claims — is verified the same way (core/jwt/verify.ts): the
 * provider's algorithms (provider-metadata.ts), its JWKS (refetched at once on a new kid) or, for
 * HS*, the client secret; never a key the token brings.
 */
export async function verifyProviderJwt(
  oidc: OidcRuntime,
  token: string,
  check: ProviderJwtCheck,
): Promise<VerifiedJwt> {
  const { settings } = oidc
  return verifyJwt(token, {
    algorithms: await oidc.provider.idTokenAlgorithms(),
    keys: {
      jwks: oidc.provider.jwks,
      ...(settings.clientSecret !== undefined
        ? { secret: new TextEncoder().encode(settings.clientSecret) }
        : {}),
    },
    ...(check.issuer && settings.issuer !== undefined ? { issuer: settings.issuer } : {}),
    ...(check.audience ? { audience: settings.clientId } : {}),
    clockSkewMs: check.clockSkewMs,
    now: check.now,
    maxBytes: settings.maxIdTokenBytes,
    requiredClaims: check.requiredClaims,
    label: check.label,
  })
}
