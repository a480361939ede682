import {
  constants,
  createHmac,
  KeyObject,
  timingSafeEqual,
  verify as verifyWithKey,
} from 'node:crypto'
import { isHmacAlgorithm, type JwsAlgorithm } from './algorithms.ts'
import type { CandidateKey } from './verification-keys.ts'

/**
 * Whether `signature` is `alg`'s signature of `signingInput` under `key` (RFC 7515 §5.2 step 8,
 * RFC 7518 §3): node:crypto, synchronously, so a verification costs the RSA or EC operation
 * and no round trip through WebCrypto's thread pool. The key already fits the algorithm
 * (candidateKeys). An RSA key under 2048 bits throws a TypeError (RFC 7518 §3.3, §3.5), as jose
 * does; verifyJwt reports it as a key that cannot verify.
 */
export function verifiesWith(
  alg: JwsAlgorithm,
  key: CandidateKey,
  signingInput: Buffer,
  signature: Buffer,
): boolean {
  const digest = `sha${alg.slice(2)}`
  if (isHmacAlgorithm(alg)) {
    if (!(key instanceof Uint8Array)) return false
    const expected = createHmac(digest, key).update(signingInput).digest()
    return expected.length === signature.length && timingSafeEqual(expected, signature)
  }
  if (key instanceof Uint8Array) return false
  const publicKey = key instanceof KeyObject ? key : KeyObject.from(key)
  if (!alg.startsWith('ES')) {
    const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0
    if (bits < 2048) throw new TypeError(`${alg} requires an RSA key of 2048 bits or more`)
    // RFC 8017 §8.1.2, §8.2.2 step 1: k octets exactly. node:crypto takes a shorter PSS
    // signature (the same integer without its leading zero octets): a second spelling of a token.
    if (signature.length !== Math.ceil(bits / 8)) return false
  }
  try {
    return verifyWithKey(digest, signingInput, signingParameters(alg, publicKey), signature)
  } catch {
    // A signature of the wrong length for the curve or modulus is no signature.
    return false
  }
}

function signingParameters(alg: JwsAlgorithm, key: KeyObject) {
  // RFC 7518 §3.4: ECDSA signatures are R ‖ S, not DER. §3.5: PSS with MGF1 and a salt as long
  // as the hash.
  if (alg.startsWith('ES')) return { key, dsaEncoding: 'ieee-p1363' as const }
  if (alg.startsWith('PS')) {
    return {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: Number(alg.slice(2)) / 8,
    }
  }
  return key
}
