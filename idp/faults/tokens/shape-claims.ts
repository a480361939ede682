import type { JWTPayload } from 'jose'
import { tokenHash } from '../../../core/jwt/at-hash.ts'
import { lookAlike } from '../look-alike.ts'
import { durationMs, type FaultOf } from '../schema.ts'

export type ClaimFault = FaultOf<
  | 'jwt-expired'
  | 'jwt-not-yet-valid'
  | 'jwt-issued-in-future'
  | 'jwt-claim-missing'
  | 'jwt-wrong-claim'
  | 'jwt-audiences-without-azp'
  | 'jwt-claim-type'
  | 'jwt-issuer-variant'
  | 'jwt-oversized'
  | 'jwt-subject-look-alike'
>

/** What a claim says when it belongs to another party or another sign-in. */
const wrong = {
  iss: 'https://other-idp.example',
  aud: 'https://other-sp.example',
  nonce: 'forged-nonce',
  at_hash: tokenHash('another access token', 'RS256'),
  sub: 'mallory',
} as const

/**
 * The claims as the faults change them (catalogue items 23–27), the token's lifetime kept:
 * `exp` past, `nbf` or `iat` in the future, a claim left out (for a sign-in token, no `sub`
 * also means no inSided `id`), a claim of another party, several audiences without `azp`, a
 * claim of the wrong JSON type, an issuer that merely resembles the real one, a filler claim
 * that makes the token larger than any SP's cap, a subject that looks like another (item 33).
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
      case 'jwt-subject-look-alike': {
        const altered = lookAlike(fault, String(claims.sub ?? ''))
        out.sub = altered
        if (protocol === 'jwt') out.id = altered
        break
      }
      case 'jwt-wrong-claim':
        out[fault.claim] = fault.value ?? wrong[fault.claim]
        break
      case 'jwt-audiences-without-azp': {
        const audiences = Array.isArray(out.aud) ? out.aud : out.aud === undefined ? [] : [out.aud]
        out.aud = [...audiences, fault.audience]
        delete out.azp
        break
      }
      case 'jwt-claim-type':
        Object.assign(out, {
          [fault.claim]: wrongType(fault.claim, out[fault.claim] ?? nowSeconds),
        })
        break
      case 'jwt-issuer-variant':
        out.iss = issuerVariant(String(out.iss ?? ''), fault.variant)
        break
      case 'jwt-oversized':
        // Base64url makes 4 characters of 3 bytes: the payload alone passes `bytes` encoded.
        out.filler = 'A'.repeat(Math.ceil((fault.bytes * 3) / 4))
        break
    }
  }
  return out
}

/**
 * RFC 7519 §4.1: the time claims are NumericDates, `iss` and `sub` StringOrURIs, `aud` one or
 * an array of them. Each of these is the same value in another JSON type.
 */
function wrongType(claim: ClaimTypeFault['claim'], value: unknown): unknown {
  switch (claim) {
    case 'exp':
    case 'iat':
    case 'nbf':
      return String(value)
    case 'sub':
      // A numeric user ID as a JSON number (a classic bug); any other ID becomes an unrelated one.
      return /^\d{1,15}$/.test(String(value)) ? Number(value) : 1001
    case 'aud':
      return { value }
    case 'iss':
      return [value]
  }
}

/**
 * Catalogue item 24: an issuer a lax comparison takes for the real one — with a trailing slash
 * (or without it), extended so the real one is its prefix (`startsWith`), or ending in it
 * (`endsWith`, `includes`).
 */
function issuerVariant(iss: string, variant: IssuerVariantFault['variant']): string {
  const bare = iss.replace(/\/$/, '')
  switch (variant) {
    case 'trailing-slash':
      return iss.endsWith('/') ? bare : `${iss}/`
    case 'prefix':
      return `${bare}.evil.example`
    case 'suffix':
      return `https://evil.example/${iss}`
  }
}

type ClaimTypeFault = Extract<ClaimFault, { kind: 'jwt-claim-type' }>
type IssuerVariantFault = Extract<ClaimFault, { kind: 'jwt-issuer-variant' }>
