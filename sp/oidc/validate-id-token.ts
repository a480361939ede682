import type { JWTPayload } from 'jose'
import { SsoError } from '../../core/errors/index.ts'
import { tokenHash } from '../../core/jwt/at-hash.ts'
import { checkAuthorizedParty } from '../../core/jwt/authorized-party.ts'
import { requireExactIdentifier } from '../accounts/exact-identifier.ts'
import { verifyProviderJwt } from './provider-jwt.ts'
import type { OidcRuntime } from './runtime.ts'

/** OIDC Core §2: the claims every ID token carries (iss and aud are required by the policy). */
export const idTokenRequiredClaims: readonly string[] = ['exp', 'iat', 'sub']

/**
 * ID token validation (OIDC Core §3.1.3.7), in order: the JWT checks of core/jwt/verify.ts
 * with the provider's JWKS (one rate-limited refresh on an unknown kid), `iss` exactly the
 * issuer, `aud` containing the client_id, `exp`, `iat` and `sub` present; then `azp` (required
 * with several audiences, else the client when present), `nonce` equal to the one this browser
 * sent, `at_hash` (when present) matching the access token, and `sub` exact: no white space at
 * its ends, no invisible character (IDENTIFIER_LOOK_ALIKE). The ID token of a refresh
 * (OIDC Core §12.2) has no nonce to match; its `sub` must be the session's
 * (OIDC_REFRESH_SUBJECT_CHANGED), its iss and aud pass the same checks as the first one's.
 */
export async function validateIdToken(
  oidc: OidcRuntime,
  idToken: string,
  expected: {
    nonce: string | undefined
    accessToken: string
    now: number
    clockSkewMs: number
    /** A refresh: the session's subject. */
    subject?: string
  },
): Promise<JWTPayload> {
  const { settings } = oidc
  const { header, claims } = await verifyProviderJwt(oidc, idToken, {
    label: 'ID token',
    now: expected.now,
    clockSkewMs: expected.clockSkewMs,
    requiredClaims: idTokenRequiredClaims,
    issuer: true,
    audience: true,
  })
  checkAuthorizedParty(claims, settings.clientId, 'OIDC_AZP_MISMATCH', 'ID token')
  if (expected.subject !== undefined && claims.sub !== expected.subject) {
    throw new SsoError(
      'OIDC_REFRESH_SUBJECT_CHANGED',
      'sub',
      'the refreshed ID token names another subject than the session',
      { session: expected.subject.slice(0, 200), received: String(claims.sub).slice(0, 200) },
    )
  }
  if (expected.nonce !== undefined && claims.nonce !== expected.nonce) {
    throw new SsoError(
      'OIDC_NONCE_MISMATCH',
      'nonce',
      'the ID token nonce is not the one this browser sent',
      {
        present: claims.nonce !== undefined,
      },
    )
  }
  if (
    claims.at_hash !== undefined &&
    claims.at_hash !== tokenHash(expected.accessToken, header.alg)
  ) {
    throw new SsoError(
      'OIDC_AT_HASH_MISMATCH',
      'at_hash',
      'at_hash does not match the access token',
      {
        alg: header.alg,
      },
    )
  }
  // The account key, exact: a look-alike `sub` is refused here, before userinfo is asked.
  if (typeof claims.sub === 'string') requireExactIdentifier(claims.sub, 'sub')
  return claims
}
