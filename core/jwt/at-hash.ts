import { createHash } from 'node:crypto'
import type { JwsAlgorithm } from './algorithms.ts'

/**
 * OIDC Core §3.1.3.6 `at_hash` (and §3.3.2.11 `c_hash`): the left half of the hash of the
 * token's ASCII octets, with the hash of the ID token's `alg` (SHA-256 for *256 …), base64url.
 */
export function tokenHash(token: string, alg: JwsAlgorithm): string {
  const bits = alg.slice(2)
  const digest = createHash(`sha${bits}`).update(token, 'ascii').digest()
  return digest.subarray(0, digest.length / 2).toString('base64url')
}
