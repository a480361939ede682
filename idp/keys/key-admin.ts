import { SsoError } from '../../core/errors/index.ts'
import { type KeyRing, type RingAlgorithm, ringAlgorithms } from './key-ring.ts'

/**
 * POST /admin/keys/rotate {"algorithm": "RS256" | "ES256", "stage"?: true} — a new current
 * signing key for the algorithm (default RS256), or the one staged before. The old key stays in
 * the JWKS until retired, so tokens it signed still verify (DELETE /admin/keys/:kid retires it).
 * With `stage: true` the new key is only published (state `next`): a staged rotation publishes
 * first and signs with it from the next rotate on.
 */
export async function rotateKey(keys: KeyRing, body: unknown) {
  const stage = (body as { stage?: unknown } | null)?.stage ?? false
  if (typeof stage !== 'boolean') {
    throw new SsoError('CONFIG_INVALID', 'stage', 'stage must be true or false', {})
  }
  const requested = (body as { algorithm?: unknown } | null)?.algorithm ?? 'RS256'
  if (!ringAlgorithms.includes(requested as RingAlgorithm)) {
    throw new SsoError('CONFIG_INVALID', 'algorithm', 'algorithm must be RS256 or ES256', {
      allowed: [...ringAlgorithms],
    })
  }
  const alg = requested as RingAlgorithm
  const key = stage ? await keys.stage(alg) : await keys.rotate(alg)
  return { key, keys: await keys.list() }
}
