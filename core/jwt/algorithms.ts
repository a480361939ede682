import type { KeyObject } from 'node:crypto'

/**
 * The JWS algorithms (RFC 7518 §3.1) ssoproof signs and verifies. `none` is never one of them,
 * whatever a configuration says (RFC 8725 §3.1).
 */
export const jwsAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'HS256',
  'HS384',
  'HS512',
] as const

export type JwsAlgorithm = (typeof jwsAlgorithms)[number]

export function isJwsAlgorithm(value: unknown): value is JwsAlgorithm {
  return typeof value === 'string' && (jwsAlgorithms as readonly string[]).includes(value)
}

/** HMAC algorithms take a shared secret, never a public key (RFC 8725 §3.1, §3.2). */
export function isHmacAlgorithm(alg: JwsAlgorithm): boolean {
  return alg.startsWith('HS')
}

// RFC 7518 §3.4: each ES algorithm is bound to one curve (Node's names).
const ecCurves: Record<string, string> = {
  ES256: 'prime256v1',
  ES384: 'secp384r1',
  ES512: 'secp521r1',
}

/**
 * True when `key` is a public key of the type `alg` needs: RSA for RS and PS, the algorithm's
 * own curve for ES. Binding the algorithm to the key type keeps a token from choosing how its
 * key is read.
 */
export function keyFitsAlgorithm(key: KeyObject, alg: JwsAlgorithm): boolean {
  if (alg.startsWith('RS')) return key.asymmetricKeyType === 'rsa'
  if (alg.startsWith('PS')) {
    return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss'
  }
  if (alg.startsWith('ES')) {
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === ecCurves[alg]
  }
  return false
}
