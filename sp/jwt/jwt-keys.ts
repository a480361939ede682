import type { Clock } from '../../core/clock/index.ts'
import { createJwksCache } from '../../core/jwt/jwks-cache.ts'
import type { VerificationKeys } from '../../core/jwt/verification-keys.ts'
import { type ResolvedSpJwtSettings, readPublicKey } from './settings.ts'

/** The keys JWTs are verified with, read once at start: certificates, the secret, the JWKS URL. */
export function jwtVerificationKeys(
  settings: ResolvedSpJwtSettings,
  outbound: { fetch: typeof fetch; clock: Clock },
): VerificationKeys {
  return {
    publicKeys: settings.certificates.map(readPublicKey),
    ...(settings.secret !== undefined ? { secret: new TextEncoder().encode(settings.secret) } : {}),
    ...(settings.jwksUrl !== undefined
      ? {
          jwks: createJwksCache({
            url: settings.jwksUrl,
            fetch: outbound.fetch,
            clock: outbound.clock,
            timeoutMs: settings.jwksTimeoutMs,
          }),
        }
      : {}),
  }
}
