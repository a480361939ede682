import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/**
 * A secret the SP must keep for a browser (an OIDC refresh token) sealed with that browser's own
 * cookie token: AES-256-GCM under a key derived from the token (HKDF-SHA256), which the database
 * never holds (it keys rows by the token's SHA-256). A copy of the database opens nothing.
 */
export function sealWithToken(cookieToken: string, secret: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyOf(cookieToken), iv)
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
  return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.')
}

/** The secret, or undefined when the value was not sealed with this token (or was altered). */
export function openWithToken(cookieToken: string, value: string): string | undefined {
  const [iv, tag, sealed] = value.split('.').map((part) => Buffer.from(part, 'base64url'))
  if (!iv || !tag || !sealed || iv.length !== 12 || tag.length !== 16) return undefined
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(cookieToken), iv)
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8')
  } catch {
    return undefined
  }
}

function keyOf(cookieToken: string): Buffer {
  return Buffer.from(hkdfSync('sha256', cookieToken, '', 'ssoproof sealed with cookie', 32))
}
