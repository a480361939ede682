import { KeyObject, sign } from 'node:crypto'
import { type JWTPayload, SignJWT } from 'jose'
import { type JwsAlgorithm, keyFitsAlgorithm } from './algorithms.ts'

/** What a JWT is signed with: the algorithm, the key's `kid` when it is published, the key. */
export interface JwtSigner {
  alg: JwsAlgorithm
  kid?: string
  /** A private key, or the shared secret's bytes for HS*. */
  key: KeyObject | Uint8Array
}

/**
 * Signs `claims` as a compact JWS (RFC 7519 §7.1). The caller sets every time claim from the
 * injected clock; nothing here reads the time.
 *
 * RS* and ES* with a private key of the algorithm's type are signed by node:crypto,
 * synchronously (RFC 7518 §3.3: RSASSA-PKCS1-v1_5, a modulus of 2048 bits or more; §3.4: ECDSA,
 * R ‖ S), as `verify-signature.ts` verifies: the RSA or EC operation and no round trip through
 * WebCrypto's thread pool, which a sequential sign-in waits for (and on a busy machine waits
 * long for). The token is byte for byte the one jose's SignJWT writes (a test compares). Every
 * other algorithm and key (HS*, PS*, a key that does not fit) goes to jose, which also refuses
 * what it must.
 */
export function signJwt(claims: JWTPayload, signer: JwtSigner, typ = 'JWT'): Promise<string> {
  const header = {
    alg: signer.alg,
    typ,
    ...(signer.kid !== undefined ? { kid: signer.kid } : {}),
  }
  const key = signer.key
  if (key instanceof KeyObject && signsDirectly(signer.alg, key) && isPlainObject(claims)) {
    try {
      const input = `${encode(header)}.${encode(claims)}`
      const signature = sign(`sha${signer.alg.slice(2)}`, Buffer.from(input), {
        key,
        dsaEncoding: 'ieee-p1363',
      })
      return Promise.resolve(`${input}.${signature.toString('base64url')}`)
    } catch (error) {
      return Promise.reject(error)
    }
  }
  return new SignJWT(claims).setProtectedHeader(header).sign(key)
}

/** A private RSA key of 2048 bits or more for RS*, a private key on the algorithm's curve for ES*. */
function signsDirectly(alg: JwsAlgorithm, key: KeyObject): boolean {
  if (key.type !== 'private' || !(alg.startsWith('RS') || alg.startsWith('ES'))) return false
  if (!keyFitsAlgorithm(key, alg)) return false
  return !alg.startsWith('RS') || (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048
}

/** A claims set jose would take (an object, not an array or class instance); jose refuses others. */
function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** A JWS part: the JSON's UTF-8 bytes in base64url without padding (RFC 7515 §7.1). */
function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}
