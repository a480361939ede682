import { SsoError } from '../../core/errors/index.ts'
import { type KeyRing, type RingAlgorithm, ringAlgorithms } from './key-ring.ts'

/**
 * POST /admin/keys/rotate {"algorithm": "RS256" | "ES256"} — a new current signing key for the
 * algorithm (default RS256). The old key stays in the JWKS until retired, so tokens it signed
 * still verify (DELETE /admin/keys/:kid retires it).
 */
export async function rotateKey(keys: KeyRing, body: unknown) {
  const requested = (body as { algorithm?: unknown } | null)?.algorithm ?? 'RS256'
  if (!ringAlgorithms.includes(requested as RingAlgorithm)) {
    throw new SsoError('CONFIG_INVALID', 'algorithm', 'algorithm must be RS256 or ES256', {
      allowed: [...ringAlgorithms],
    })
  }
  const key = await keys.rotate(requested as RingAlgorithm)
  return { key, keys: await keys.list() }
}
