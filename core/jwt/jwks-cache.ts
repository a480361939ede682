import type { JSONWebKeySet } from 'jose'
import type { Clock } from '../clock/index.ts'
import { SsoError } from '../errors/index.ts'
import { fetchJson } from './fetch-json.ts'
import type { JwksSource } from './verification-keys.ts'

export interface JwksCacheOptions {
  url: string
  fetch: typeof fetch
  clock: Clock
  timeoutMs: number
  /** A fetched set is used this long before it is fetched again (default 10 min). */
  maxAgeMs?: number
  /**
   * An unknown `kid` refetches the set at once when the cached one is at least this old
   * (default 5 s): at most one fetch per interval, however many tokens name unknown keys.
   */
  cooldownMs?: number
}

/**
 * A JWKS fetched from a URL through the injected fetch and kept on the injected clock. An
 * unknown `kid` refreshes it at once — a provider that just rotated its keys is believed — unless
 * the set was fetched less than a cooldown ago, so a flood of tokens with made-up key IDs cannot
 * turn into a flood of requests to the issuer; concurrent refreshes share one fetch.
 */
export function createJwksCache(options: JwksCacheOptions): JwksSource {
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000
  const cooldownMs = options.cooldownMs ?? 5_000
  let cached: { set: JSONWebKeySet; fetchedAt: number } | undefined
  let lastFetchAt: number | undefined
  let inFlight: Promise<JSONWebKeySet> | undefined
  const load = () => {
    inFlight ??= fetchSet().finally(() => {
      inFlight = undefined
    })
    return inFlight
  }
  const fetchSet = async () => {
    lastFetchAt = options.clock.now()
    const answer = await fetchJson({
      fetch: options.fetch,
      url: options.url,
      timeoutMs: options.timeoutMs,
      failure: { code: 'JWT_JWKS_UNAVAILABLE', check: 'JWKS' },
    })
    if (answer.status !== 200 || !isKeySet(answer.json)) {
      throw new SsoError(
        'JWT_JWKS_UNAVAILABLE',
        'JWKS',
        'the JWKS URL did not answer with a JSON Web Key Set',
        {
          url: options.url,
          status: answer.status,
        },
      )
    }
    cached = { set: answer.json, fetchedAt: options.clock.now() }
    return answer.json
  }
  return {
    async get() {
      if (cached && options.clock.now() - cached.fetchedAt < maxAgeMs) return cached.set
      return load()
    },
    async refresh() {
      if (lastFetchAt !== undefined && options.clock.now() - lastFetchAt < cooldownMs)
        return undefined
      return load()
    },
  }
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  const keys = (value as { keys?: unknown } | null)?.keys
  return Array.isArray(keys) && keys.every((key) => typeof key === 'object' && key !== null)
}
