import type { KeyObject } from 'node:crypto'
import { type JWTPayload, SignJWT } from 'jose'
import type { JwsAlgorithm } from './algorithms.ts'

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
 */
export function signJwt(claims: JWTPayload, signer: JwtSigner, typ = 'JWT'): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({
      alg: signer.alg,
      typ,
      ...(signer.kid !== undefined ? { kid: signer.kid } : {}),
    })
    .sign(signer.key)
}
