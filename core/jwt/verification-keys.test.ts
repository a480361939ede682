import { generateKeyPairSync } from 'node:crypto'
import { exportJWK, type JSONWebKeySet } from 'jose'
import { describe, expect, it } from 'vitest'
import { candidateKeys, type JwksSource } from './verification-keys.ts'

const fixed = (set: JSONWebKeySet): JwksSource => ({
  get: () => Promise.resolve(set),
  refresh: () => Promise.resolve(undefined),
})

describe('candidateKeys from a JWKS', () => {
  it('imports a key of a cached set once, not for every token', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const set = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', use: 'sig', alg: 'RS256' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', use: 'sig', alg: 'ES256' },
      ],
    }
    const header = { alg: 'RS256' as const, kid: 'rsa-1' }
    const [first] = await candidateKeys(header, { jwks: fixed(set) })
    const [again] = await candidateKeys(header, { jwks: fixed(set) })
    expect(first).toBeDefined()
    expect(again).toBe(first)
    // A set fetched again is another object: its keys are imported from it.
    const [refetched] = await candidateKeys(header, { jwks: fixed(structuredClone(set)) })
    expect(refetched).not.toBe(first)
  })

  it('still refuses a malformed set every time, and finds no key for an unknown kid', async () => {
    const malformed = { keys: 'none' } as unknown as JSONWebKeySet
    for (let i = 0; i < 2; i++) {
      await expect(
        candidateKeys({ alg: 'RS256', kid: 'x' }, { jwks: fixed(malformed) }),
      ).rejects.toMatchObject({ code: 'JWT_JWKS_UNAVAILABLE' })
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const set = { keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1' }] }
    expect(await candidateKeys({ alg: 'RS256', kid: 'other' }, { jwks: fixed(set) })).toEqual([])
  })
})
