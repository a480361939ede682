import { generateKeyPairSync } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../clock/index.ts'
import { SsoError } from '../errors/index.ts'
import { cacheParsed, certificatePublicKeyOf, privateKeyOf } from './cache.ts'
import type { Credential } from './credential.ts'
import { createCredential } from './generate.ts'

let credential: Credential

beforeAll(async () => {
  credential = await createCredential({
    commonName: 'cache me',
    clock: createManualClock('2030-01-01T00:00:00Z'),
  })
})

describe('key caches', () => {
  it('parses a PEM private key once and hands out the same KeyObject after', () => {
    const first = privateKeyOf(credential.privateKeyPem)
    expect(first.equals(credential.privateKey)).toBe(true)
    expect(privateKeyOf(credential.privateKeyPem)).toBe(first)
  })

  it('reads a certificate’s public key once, PEM and bare base64 each', () => {
    const fromPem = certificatePublicKeyOf(credential.certificatePem)
    expect(fromPem.equals(credential.publicKey)).toBe(true)
    expect(certificatePublicKeyOf(credential.certificatePem)).toBe(fromPem)
    expect(certificatePublicKeyOf(credential.certificateBase64).equals(fromPem)).toBe(true)
  })

  it('keeps a bounded number: after 40 other keys the first is parsed anew', () => {
    const first = privateKeyOf(credential.privateKeyPem)
    for (let index = 0; index < 40; index++) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      privateKeyOf(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())
    }
    const again = privateKeyOf(credential.privateKeyPem)
    expect(again).not.toBe(first)
    expect(again.equals(first)).toBe(true)
  })

  it('parses each distinct text anew and caches nothing when parsing throws', () => {
    const parsed: string[] = []
    const lengthOf = cacheParsed((text) => {
      parsed.push(text)
      if (text === 'bad') throw new Error('unreadable')
      return { length: text.length }
    })
    const first = lengthOf('abc')
    expect(lengthOf('abc')).toBe(first)
    expect(lengthOf('abd')).not.toBe(first)
    expect(() => lengthOf('bad')).toThrow('unreadable')
    expect(() => lengthOf('bad')).toThrow('unreadable')
    expect(parsed).toEqual(['abc', 'abd', 'bad', 'bad'])
  })

  it('throws for text that is no key or certificate, as the parsers do', () => {
    expect(() => privateKeyOf('not a key')).toThrow()
    expect(() => certificatePublicKeyOf('not a certificate')).toThrow(SsoError)
  })
})
