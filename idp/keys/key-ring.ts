import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import type { JSONWebKeySet, JWK } from 'jose'
import type { Clock } from '../../core/clock/index.ts'
import { SsoError } from '../../core/errors/index.ts'
import type { JwtSigner } from '../../core/jwt/sign.ts'
import type { RecordTable } from '../store/record-table.ts'

/** The asymmetric algorithms the IdP signs tokens with. */
export const ringAlgorithms = ['RS256', 'ES256'] as const
export type RingAlgorithm = (typeof ringAlgorithms)[number]

export interface RingKey {
  /** The RFC 7638 thumbprint of the public key. */
  kid: string
  alg: RingAlgorithm
  privateKey: KeyObject
  publicJwk: JWK
  createdAt: number
  /**
   * `current` signs; `next` is published ahead of signing (a staged rotation), so clients that
   * refresh their key set in between already know it; `previous` is still published so tokens it
   * signed still verify.
   */
  state: 'current' | 'next' | 'previous'
}

/** What the admin API shows of a key: never the private part. */
export type RingKeyInfo = Pick<RingKey, 'kid' | 'alg' | 'createdAt' | 'state'>

export interface KeyRing {
  /** The key new tokens of this algorithm are signed with. */
  signer(alg: RingAlgorithm): Promise<JwtSigner>
  /** Every published public key (current and previous), with kid, alg and use. */
  jwks(): Promise<JSONWebKeySet>
  list(): Promise<RingKeyInfo[]>
  /**
   * A new current key for `alg` (the staged `next` key when there is one); the old one stays
   * published until retired.
   */
  rotate(alg: RingAlgorithm): Promise<RingKeyInfo>
  /** Publishes a `next` key for `alg` that signs nothing until the next rotate (publish first, sign later). */
  stage(alg: RingAlgorithm): Promise<RingKeyInfo>
  /** The staged key of `alg`, if any. */
  staged(alg: RingAlgorithm): Promise<RingKeyInfo | undefined>
  /** Stops publishing a previous key; tokens it signed no longer verify. */
  retire(kid: string): Promise<RingKeyInfo>
}

export interface KeyRingOptions {
  /** The IdP's RSA key (its credential): the first RS256 key. */
  rsaKey: KeyObject
  /** The first ES256 key (P-256); generated when absent. */
  ecKey?: KeyObject
  clock: Clock
  /** Where the ring is kept (sealed) so a restart keeps rotated, staged and retired keys. */
  stored?: RecordTable<StoredRingKey>
}

/** A ring key at rest: its private key as PKCS #8, and the kid of the RSA key the ring began with. */
export interface StoredRingKey {
  kid: string
  alg: RingAlgorithm
  state: RingKey['state']
  createdAt: number
  pkcs8: string
  origin: string
}

/**
 * The IdP's token signing keys, each with a `kid`: one current key per algorithm, older ones
 * published until retired. The set is built on first use (jose exports and thumbprints are
 * asynchronous), so creating the IdP stays synchronous.
 */
export function createKeyRing(options: KeyRingOptions): KeyRing {
  let keys: Promise<RingKey[]> | undefined
  // The current key's signer per algorithm, once the ring is built: every token asks for one.
  const signers = new Map<RingAlgorithm, Promise<JwtSigner>>()
  let origin = ''
  // What the ring is now, kept after every change; a retired key's row goes.
  const save = (ring: RingKey[], retired?: string) => {
    if (retired !== undefined) options.stored?.delete(retired)
    for (const key of ring) options.stored?.put(key.kid, atRest(key, origin))
  }
  const build = async () => {
    const first = await ringKey(options.rsaKey, 'RS256', options.clock.now())
    origin = first.kid
    const saved = options.stored?.all() ?? []
    // A ring begun from another IdP key (the signing key was replaced) is not restored.
    if (saved.length > 0 && saved.every((key) => key.origin === origin)) {
      return Promise.all(saved.map(fromRest))
    }
    const ring = [
      first,
      await ringKey(options.ecKey ?? newPrivateKey('ES256'), 'ES256', options.clock.now()),
    ]
    save(ring)
    return ring
  }
  const ready = () => {
    keys ??= build()
    return keys
  }
  const current = async (alg: RingAlgorithm) => {
    const key = (await ready()).find(
      (candidate) => candidate.alg === alg && candidate.state === 'current',
    )
    if (!key) throw new Error(`no current ${alg} key`)
    return key
  }
  return {
    signer(alg) {
      let signer = signers.get(alg)
      if (!signer) {
        signer = current(alg).then((key) =>
          Object.freeze({ alg, kid: key.kid, key: key.privateKey }),
        )
        signers.set(alg, signer)
        signer.catch(() => signers.delete(alg))
      }
      return signer
    },
    async jwks() {
      return { keys: (await ready()).map((key) => ({ ...key.publicJwk })) }
    },
    list: async () => (await ready()).map(info),
    async rotate(alg) {
      const ring = await ready()
      const staged = ring.find((key) => key.alg === alg && key.state === 'next')
      const next = staged ?? (await ringKey(newPrivateKey(alg), alg, options.clock.now()))
      for (const key of ring) if (key.alg === alg) key.state = 'previous'
      next.state = 'current'
      if (!staged) ring.push(next)
      signers.delete(alg)
      save(ring)
      return info(next)
    },
    async stage(alg) {
      const ring = await ready()
      const existing = ring.find((key) => key.alg === alg && key.state === 'next')
      if (existing) return info(existing)
      const next = await ringKey(newPrivateKey(alg), alg, options.clock.now())
      next.state = 'next'
      ring.push(next)
      save(ring)
      return info(next)
    },
    async staged(alg) {
      const key = (await ready()).find(
        (candidate) => candidate.alg === alg && candidate.state === 'next',
      )
      return key ? info(key) : undefined
    },
    async retire(kid) {
      const ring = await ready()
      const index = ring.findIndex((key) => key.kid === kid)
      const key = ring[index]
      if (!key)
        throw new SsoError('NOT_FOUND', 'kid', 'no published key with this kid', {
          kid: kid.slice(0, 100),
        })
      if (key.state !== 'previous') {
        throw new SsoError(
          'CONFIG_INVALID',
          'kid',
          `the ${key.state} key cannot be retired; rotate first`,
          { kid },
        )
      }
      ring.splice(index, 1)
      save(ring, kid)
      return info(key)
    },
  }
}

function info(key: RingKey): RingKeyInfo {
  return { kid: key.kid, alg: key.alg, createdAt: key.createdAt, state: key.state }
}

function atRest(key: RingKey, origin: string): StoredRingKey {
  const der = key.privateKey.export({ type: 'pkcs8', format: 'der' })
  const { kid, alg, state, createdAt } = key
  return { kid, alg, state, createdAt, pkcs8: der.toString('base64'), origin }
}

async function fromRest(stored: StoredRingKey): Promise<RingKey> {
  const privateKey = createPrivateKey({
    key: Buffer.from(stored.pkcs8, 'base64'),
    format: 'der',
    type: 'pkcs8',
  })
  return { ...(await ringKey(privateKey, stored.alg, stored.createdAt)), state: stored.state }
}

function newPrivateKey(alg: RingAlgorithm): KeyObject {
  return alg === 'RS256'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
}

async function ringKey(
  privateKey: KeyObject,
  alg: RingAlgorithm,
  createdAt: number,
): Promise<RingKey> {
  // jose loads with the first JWT key, not at the IdP's start.
  const { calculateJwkThumbprint, exportJWK } = await import('jose')
  const { kty, n, e, crv, x, y } = await exportJWK(privateKey)
  const publicOnly: JWK = kty === 'RSA' ? { kty, n, e } : { kty, crv, x, y }
  const kid = await calculateJwkThumbprint(publicOnly, 'sha256')
  return {
    kid,
    alg,
    privateKey,
    publicJwk: { ...publicOnly, kid, alg, use: 'sig' },
    createdAt,
    state: 'current',
  }
}
