import { type JWTPayload, type ProtectedHeaderParameters, UnsecuredJWT } from 'jose'
import { SsoError } from '../errors/index.ts'
import { isJwsAlgorithm, type JwsAlgorithm } from './algorithms.ts'
import { checkCanonicalBase64url } from './canonical-base64url.ts'
import { claimTypeError, mistypedClaim } from './claim-types.ts'
import { fromJoseError } from './jose-errors.ts'
import { candidateKeys, type VerificationKeys } from './verification-keys.ts'
import { verifiesWith } from './verify-signature.ts'

/** What a token is checked against. `now` comes from the injected clock. */
export interface JwtPolicy {
  /** The allow-list; a token whose `alg` is not on it is refused before any key is looked at. */
  algorithms: readonly JwsAlgorithm[]
  keys: VerificationKeys
  /** Expected `iss`, compared exactly; unset: not checked. */
  issuer?: string
  /** Expected `aud` (a string, or one of an array); unset: not checked. */
  audience?: string
  clockSkewMs: number
  now: number
  /** Size cap of the compact token in bytes. */
  maxBytes: number
  /** Claims that must be present (default: `defaultRequiredClaims`). */
  requiredClaims?: readonly string[]
  /** How error messages name the token, e.g. `token` or `ID token`. */
  label?: string
}

export interface VerifiedJwt {
  header: ProtectedHeaderParameters & { alg: JwsAlgorithm }
  claims: JWTPayload
}

/** The claims a token must carry unless the policy names others. */
export const defaultRequiredClaims: readonly string[] = ['exp', 'iat']

// RFC 7515 §4.1.3–4.1.6: header parameters that carry or point at a key. A verifier that
// trusts them lets the sender choose the key (RFC 8725 §3.10).
const headerKeyParameters = ['jwk', 'jku', 'x5u', 'x5c'] as const

// jose's claim checks (iss, aud, exp, nbf, iat, required claims: validateClaimsSet) are reached
// through UnsecuredJWT.decode, which takes a header of `{"alg":"none"}` and nothing else. It is
// given that placeholder with the payload part only once the token's own header passed every
// check above and its signature verified (verify-signature.ts): no unsigned token gets this far.
const claimsOnlyHeader = Buffer.from('{"alg":"none"}').toString('base64url')

/**
 * The checks on a compact JWS JWT, in order (RFC 7519 §7.2, RFC 8725):
 *   1. size cap, then the protected header decodes (three base64url parts); each part in
 *      canonical base64url: no padding, no unused bits set (one token, one spelling)
 *   2. `alg` is on the allow-list — never `none`
 *   3. no key in the header (`jwk`, `jku`, `x5u`, `x5c`): keys come from configuration only
 *   4. no `crit` extension: none is understood here (RFC 7515 §4.1.11)
 *   5. a configured key fits the algorithm (HS* only the shared secret; RS/PS RSA keys; ES the
 *      algorithm's curve; JWKS members by `kid`)
 *   6. the signature verifies with one of them (node:crypto, synchronously: verify-signature.ts)
 *   7. a JSON object; required claims present; `iss` exact, `aud`, `nbf` and `exp` with the skew
 *      (jose, on the injected clock); every registered claim of its RFC 7519 type
 *   8. `iat`, when present, not in the future beyond the skew
 * Each failure is an SsoError with a JWT_* code; the token never appears in it.
 */
export async function verifyJwt(token: string, policy: JwtPolicy): Promise<VerifiedJwt> {
  const label = policy.label ?? 'token'
  if (Buffer.byteLength(token, 'utf8') > policy.maxBytes) {
    throw new SsoError('JWT_TOO_LARGE', 'size', `the ${label} exceeds the size cap`, {
      bytes: Buffer.byteLength(token, 'utf8'),
      maxBytes: policy.maxBytes,
    })
  }
  const header = readHeader(token, label)
  const alg = header.alg
  if (!isJwsAlgorithm(alg) || !policy.algorithms.includes(alg)) {
    throw new SsoError(
      'JWT_ALGORITHM_FORBIDDEN',
      'alg',
      `the ${label}'s algorithm is not allowed`,
      {
        alg: typeof alg === 'string' ? alg.slice(0, 20) : null,
        allowed: [...policy.algorithms],
      },
    )
  }
  const keyParameters = headerKeyParameters.filter((name) => header[name] !== undefined)
  if (keyParameters.length > 0) {
    throw new SsoError(
      'JWT_HEADER_KEY_FORBIDDEN',
      'header',
      `the ${label} names its own key in its header; keys come from configuration only`,
      { parameters: keyParameters },
    )
  }
  if (header.crit !== undefined) {
    throw new SsoError(
      'JWT_CRIT_UNSUPPORTED',
      'crit',
      `the ${label} requires extensions this side does not understand`,
      {
        crit: Array.isArray(header.crit)
          ? header.crit.map((name) => String(name).slice(0, 40))
          : 'invalid',
      },
    )
  }
  const fitting = { ...header, alg }
  const keys = await candidateKeys(fitting, policy.keys)
  if (keys.length === 0) {
    throw new SsoError(
      'JWT_KEY_UNKNOWN',
      'kid',
      `no configured key fits the ${label}'s algorithm and key ID`,
      {
        alg,
        kid: typeof header.kid === 'string' ? header.kid.slice(0, 100) : null,
      },
    )
  }
  const options = {
    ...(policy.issuer !== undefined ? { issuer: policy.issuer } : {}),
    ...(policy.audience !== undefined ? { audience: policy.audience } : {}),
    clockTolerance: Math.floor(policy.clockSkewMs / 1000),
    currentDate: new Date(policy.now),
    requiredClaims: [...(policy.requiredClaims ?? defaultRequiredClaims)],
  }
  const [encodedHeader, encodedPayload = '', encodedSignature = ''] = token.split('.')
  const signingInput = Buffer.from(`${encodedHeader}.${encodedPayload}`, 'latin1')
  const signature = Buffer.from(encodedSignature, 'base64url')
  for (const key of keys) {
    try {
      if (!verifiesWith(alg, key, signingInput, signature)) continue
      // The signature verified over exactly this payload part; jose's claim checks run on it.
      const payload = UnsecuredJWT.decode(`${claimsOnlyHeader}.${encodedPayload}.`, options).payload
      const mistyped = mistypedClaim(payload)
      if (mistyped !== undefined) throw claimTypeError(payload, mistyped, label)
      checkIssuedAt(payload, policy, label)
      return { header: fitting, claims: payload }
    } catch (error) {
      throw fromJoseError(error, label, policy)
    }
  }
  throw new SsoError(
    'JWT_SIGNATURE_INVALID',
    'signature',
    `the ${label}'s signature does not verify with the configured keys`,
    {
      alg,
      keysTried: keys.length,
    },
  )
}

/** Three parts, each in canonical base64url (before anything decodes them), a JSON header. */
function readHeader(token: string, label: string): ProtectedHeaderParameters {
  const malformed = () =>
    new SsoError(
      'JWT_MALFORMED',
      'JWS',
      `the ${label} is not a compact JWS (three base64url parts, a JSON header)`,
      {
        length: token.length,
      },
    )
  const parts = token.split('.')
  // A part of 4k+1 characters is no base64url at all: its last character encodes no byte.
  // Padding is left out of the count, so a padded part is called non-canonical, whatever its length.
  if (parts.length !== 3 || parts.some((part) => unpaddedLength(part) % 4 === 1)) {
    throw malformed()
  }
  checkCanonicalBase64url(token, label, parts)
  // Decoded from the part already split and checked (as jose's decodeProtectedHeader would:
  // strict UTF-8, a JSON object), rather than splitting and decoding the token once more.
  let header: unknown
  try {
    header = JSON.parse(strictUtf8.decode(Buffer.from(parts[0] ?? '', 'base64url')))
  } catch {
    throw malformed()
  }
  if (!isPlainObject(header)) throw malformed()
  return header as ProtectedHeaderParameters
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

function unpaddedLength(part: string): number {
  let end = part.length
  while (end > 0 && part.charCodeAt(end - 1) === 61) end -= 1 // '='
  return end
}

function checkIssuedAt(claims: JWTPayload, policy: JwtPolicy, label: string): void {
  if (claims.iat === undefined) return
  const skewSeconds = Math.floor(policy.clockSkewMs / 1000)
  const nowSeconds = Math.floor(policy.now / 1000)
  if (claims.iat > nowSeconds + skewSeconds) {
    throw new SsoError('JWT_ISSUED_IN_FUTURE', 'iat', `the ${label} was issued in the future`, {
      iat: claims.iat,
      now: nowSeconds,
      skewSeconds,
    })
  }
}
