import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto'
import type { Random } from '../random/index.ts'

const info = 'ssoproof SP record sealed with a browser token'

/** AES-256-GCM key for one token: HKDF-SHA256 over the token (RFC 5869), never stored. */
function keyOf(token: string): Buffer {
  return Buffer.from(hkdfSync('sha256', token, '', info, 32))
}

/**
 * A value (plain data) sealed with a bearer token the browser holds: only someone who presents
 * the token can read it back, so what the database keeps beside the token's SHA-256 is useless
 * without the cookie. Output: base64url of IV, tag and ciphertext.
 */
export function sealWithToken(value: unknown, token: string, random: Random): string {
  const iv = random.bytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyOf(token), iv)
  const text = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), text]).toString('base64url')
}

/** The sealed value, or undefined when the token is not the one it was sealed with. */
export function openWithToken<V>(sealed: string, token: string): V | undefined {
  const bytes = Buffer.from(sealed, 'base64url')
  if (bytes.length < 28) return undefined
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(token), bytes.subarray(0, 12))
    decipher.setAuthTag(bytes.subarray(12, 28))
    const text = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()])
    return JSON.parse(text.toString('utf8')) as V
  } catch {
    return undefined
  }
}
