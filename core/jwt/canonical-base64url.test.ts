import { describe, expect, it } from 'vitest'
import { checkCanonicalBase64url } from './canonical-base64url.ts'

// A 15-byte header (no unused bits) and a 14-byte payload (two unused bits); the signatures
// below take every length class.
const header = Buffer.from('{"alg":"RS256"}').toString('base64url')
const payload = Buffer.from('{"sub":"bob1"}').toString('base64url')
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const lowBitSet = (part: string) =>
  `${part.slice(0, -1)}${alphabet[alphabet.indexOf(part.at(-1) ?? 'A') | 1]}`

const refusal = (token: string) => {
  try {
    checkCanonicalBase64url(token, 'token')
  } catch (error) {
    return error
  }
  return undefined
}

describe('checkCanonicalBase64url', () => {
  it.each([
    ['a signature of 3 bytes (no unused bits)', `${header}.${payload}.AQID`],
    ['a signature of 2 bytes', `${header}.${payload}.AQI`],
    ['a signature of 1 byte', `${header}.${payload}.AQ`],
    ['an empty signature', `${header}.${payload}.`],
  ])('accepts %s', (_what, token) => {
    expect(refusal(token)).toBeUndefined()
  })

  it.each([
    ['padding on the signature', `${header}.${payload}.AQ==`, 'signature', 'padding'],
    ['one = on the signature', `${header}.${payload}.AQI=`, 'signature', 'padding'],
    ['padding on the header', `${header}=.${payload}.AQ`, 'header', 'padding'],
    [
      'unused bits of the last character (2 bytes)',
      `${header}.${payload}.AQJ`,
      'signature',
      'unused bits set',
    ],
    [
      'unused bits of the last character (1 byte)',
      `${header}.${payload}.AR`,
      'signature',
      'unused bits set',
    ],
    [
      'a last group of one character, even A (no whole byte)',
      `${header}.${payload}.AQIDA`,
      'signature',
      'unused bits set',
    ],
    [
      'unused bits on the payload',
      `${header}.${lowBitSet(payload)}.AQ`,
      'payload',
      'unused bits set',
    ],
    [
      'standard base64 characters',
      `${header}.${payload}.A+/B`,
      'signature',
      'a character outside the base64url alphabet',
    ],
    [
      'white space inside a part',
      `${header}.${payload}.AQ ID`,
      'signature',
      'a character outside the base64url alphabet',
    ],
  ])('refuses %s (JWT_BASE64URL_NON_CANONICAL)', (_what, token, segment, reason) => {
    expect(refusal(token)).toMatchObject({
      code: 'JWT_BASE64URL_NON_CANONICAL',
      check: 'Encoding',
      evidence: { segment, reason },
    })
  })

  it('names no part of the token in its evidence', () => {
    const error = refusal(`${header}.${payload}.AQ==`) as { message: string; evidence: object }
    expect(JSON.stringify(error.evidence)).not.toContain('AQ')
    expect(error.message).not.toContain(payload)
  })
})
