import type { KeyObject } from 'node:crypto'
import {
  createLocalJWKSet,
  errors,
  type CryptoKey as JoseCryptoKey,
  type JSONWebKeySet,
  type JWSHeaderParameters,
} from 'jose'
import { SsoError } from '../errors/index.ts'
import { isHmacAlgorithm, type JwsAlgorithm, keyFitsAlgorithm } from './algorithms.ts'

/** A key set that comes from somewhere else (a JWKS URL), cached. */
export interface JwksSource {
  /** The cached key set, fetched first when there is none or it is stale. */
  get(): Promise<JSONWebKeySet>
  /** Fetches again when the rate limit allows; undefined when it does not (yet). */
  refresh(): Promise<JSONWebKeySet | undefined>
}

/** Where the keys a token may be verified with come from. Never from the token itself. */
export interface VerificationKeys {
  /** RSA or EC public keys from configuration (PEM certificates or public keys). */
  publicKeys?: readonly KeyObject[]
  /** The shared secret, for HS* only. */
  secret?: Uint8Array
  jwks?: JwksSource
}

export type CandidateKey = KeyObject | JoseCryptoKey | Uint8Array

/**
 * The configured keys that fit the token's algorithm: the shared secret for HS* (never a public
 * key, RFC 8725 §3.2), otherwise public keys of the algorithm's type, and from the JWKS the keys
 * jose selects by `kid`, `alg`, `kty` and `use`. An unknown `kid` refreshes the JWKS once
 * (rate-limited by the source), for keys the issuer rotated in.
 */
export async function candidateKeys(
  header: JWSHeaderParameters & { alg: JwsAlgorithm },
  keys: VerificationKeys,
): Promise<CandidateKey[]> {
  const { alg } = header
  if (isHmacAlgorithm(alg)) return keys.secret ? [keys.secret] : []
  const out: CandidateKey[] = (keys.publicKeys ?? []).filter((key) => keyFitsAlgorithm(key, alg))
  if (keys.jwks) {
    const fromSet = await fromJwks(await keys.jwks.get(), header)
    if (fromSet.length > 0) return [...out, ...fromSet]
    const refreshed = await keys.jwks.refresh()
    if (refreshed) out.push(...(await fromJwks(refreshed, header)))
  }
  return out
}

type KeySelector = ReturnType<typeof createLocalJWKSet>

/**
 * The selector of each key set, made once per set: jose's local set imports a member key on
 * first use and keeps it, so a cached JWKS (the same object until it is fetched again) is not
 * copied and its keys not imported again for every token.
 */
const selectors = new WeakMap<JSONWebKeySet, KeySelector>()

function selectorOf(set: JSONWebKeySet): KeySelector {
  let select = selectors.get(set)
  if (!select) {
    try {
      select = createLocalJWKSet(set)
    } catch {
      throw new SsoError('JWT_JWKS_UNAVAILABLE', 'JWKS', 'the JSON Web Key Set is malformed', {})
    }
    selectors.set(set, select)
  }
  return select
}

async function fromJwks(set: JSONWebKeySet, header: JWSHeaderParameters): Promise<CandidateKey[]> {
  const select = selectorOf(set)
  try {
    return [await select(header)]
  } catch (error) {
    if (error instanceof errors.JWKSMultipleMatchingKeys) {
      // Without a kid the token does not say which key it claims; trying each would let any key
      // of the set vouch for it (security catalogue 22).
      if (header.kid === undefined) {
        throw new SsoError(
          'JWT_KEY_UNKNOWN',
          'kid',
          'the token names no key ID (kid) and several keys of the key set fit its algorithm',
          { alg: header.alg ?? null },
        )
      }
      const all: CandidateKey[] = []
      for await (const key of error as AsyncIterable<JoseCryptoKey>) all.push(key)
      return all
    }
    if (error instanceof errors.JWKSNoMatchingKey) return []
    // A JWKS member that does not import (wrong key type for alg, private key, key data that
    // WebCrypto refuses with a DataError) is no candidate.
    if (error instanceof errors.JOSEError || error instanceof DOMException) return []
    throw error
  }
}
