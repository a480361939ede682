import type { JWTPayload } from 'jose'
import { tokenHash } from '../../../core/jwt/at-hash.ts'
import { durationMs, type FaultOf } from '../schema.ts'

export type ClaimFault = FaultOf<
  | 'jwt-expired'
  | 'jwt-not-yet-valid'
  | 'jwt-issued-in-future'
  | 'jwt-claim-missing'
  | 'jwt-wrong-claim'
  | 'jwt-audiences-without-azp'
>

/** What a claim says when it belongs to another party or another sign-in. */
const wrong = {
  iss: 'https://other-idp.example',
  aud: 'https://other-sp.example',
  nonce: 'forged-nonce',
  at_hash: tokenHash('another access token', 'RS256'),
} as const

/**
 * The claims as the faults change them (catalogue items 23–26), the token's lifetime kept:
 * `exp` past, `nbf` or `iat` in the future, a claim left out (for a sign-in token, no `sub`
 * also means no inSided `id`), a claim of another party, several audiences without `azp`.
 */
export function shapeClaims(
  claims: JWTPayload,
  faults: readonly ClaimFault[],
  protocol: 'jwt' | 'oidc',
  nowSeconds: number,
): JWTPayload {
  const out: JWTPayload = { ...claims }
  const lifetime = (claims.exp ?? nowSeconds) - (claims.iat ?? nowSeconds)
  const seconds = (value: number | string) => Math.floor(durationMs(value) / 1000)
  for (const fault of faults) {
    switch (fault.kind) {
      case 'jwt-expired':
        out.exp = nowSeconds - seconds(fault.by)
        if (out.iat !== undefined) out.iat = out.exp - lifetime
        break
      case 'jwt-not-yet-valid':
        out.nbf = nowSeconds + seconds(fault.by)
        break
      case 'jwt-issued-in-future':
        out.iat = nowSeconds + seconds(fault.by)
        if (out.exp !== undefined) out.exp = out.iat + lifetime
        break
      case 'jwt-claim-missing':
        delete out[fault.claim]
        if (fault.claim === 'sub' && protocol === 'jwt') delete out.id
        break
      case 'jwt-wrong-claim':
        out[fault.claim] = fault.value ?? wrong[fault.claim]
        break
      case 'jwt-audiences-without-azp': {
        const audiences = Array.isArray(out.aud) ? out.aud : out.aud === undefined ? [] : [out.aud]
        out.aud = [...audiences, fault.audience]
        delete out.azp
        break
      }
    }
  }
  return out
}
