import type { JWTPayload } from 'jose'
import { SsoError } from '../errors/index.ts'

/**
 * The authorized-party rule (OIDC Core §3.1.3.7 items 4–5, security catalogue 24), for ID tokens
 * and sign-in tokens alike: a token for several audiences must name this party in `azp`, and an
 * `azp` that is present must be this party. Otherwise a token issued to another audience member
 * could be replayed here.
 */
export function checkAuthorizedParty(
  claims: JWTPayload,
  party: string,
  code: 'OIDC_AZP_MISMATCH' | 'JWT_AZP_MISMATCH',
  label: string,
): void {
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
  if (
    (audiences.length > 1 && claims.azp === undefined) ||
    (claims.azp !== undefined && claims.azp !== party)
  ) {
    throw new SsoError(code, 'azp', `the ${label} was issued to another party (azp)`, {
      expected: party,
      received: typeof claims.azp === 'string' ? claims.azp.slice(0, 200) : null,
      audiences: audiences.length,
    })
  }
}
