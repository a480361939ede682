import { KeyObject } from 'node:crypto'
import * as z from 'zod'
import type { Clock } from '../clock/index.ts'
import type { Credential } from '../keys/index.ts'
import type { Random } from '../random/index.ts'

/**
 * Option values that are not data (injected clocks, randomness, fetch, keys), checked by shape
 * so a wrong one fails at start naming its setting, and the data shapes every factory shares.
 */

/**
 * Listening addresses that mean "every interface" (as a URL writes them: `0`, `0x0`, `::0` and
 * `::ffff:0.0.0.0` included): no browser or peer can reach a server by them.
 */
export const unspecifiedHosts: ReadonlySet<string> = new Set(['0.0.0.0', '[::]', '[::ffff:0:0]'])

/**
 * Where a server is reached: an absolute http(s) URL, kept without trailing slashes, whose host
 * others can use — never 0.0.0.0 or ::, which would end up in entity IDs and redirects.
 */
export const baseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'an absolute http(s) URL, e.g. http://127.0.0.1:7000' })
  // zod runs this even when the URL check above failed: a value that is no URL is that error's.
  .refine((value) => !URL.canParse(value) || !unspecifiedHosts.has(new URL(value).hostname), {
    message:
      '0.0.0.0 and :: mean "every interface" to a listening socket, not an address others can reach: give the host name or address browsers and peers use',
  })
  .transform((url) => url.replace(/\/+$/, ''))

/** A duration or lifetime in milliseconds: a whole number, at least `min` (default 1). */
export function millisecondsSchema(min = 1) {
  return z
    .number({ error: 'a number of milliseconds, e.g. 60000' })
    .int('a whole number of milliseconds')
    .min(min, `at least ${min} ms`)
}

function functionSchema<T>(what: string) {
  return z.custom<T>((value) => typeof value === 'function', what)
}

export const fetchSchema = functionSchema<typeof fetch>('a fetch function')
export const logSchema = functionSchema<(line: string) => void>('a function taking one line')

export const clockSchema = z.custom<Clock>(
  (value) => typeof (value as Partial<Clock> | null)?.now === 'function',
  'a clock: an object with now() returning epoch milliseconds',
)

export const randomSchema = z.custom<Random>(
  (value) => typeof (value as Partial<Random> | null)?.bytes === 'function',
  'a random source: an object with bytes(length) returning a Buffer',
)

/** A Node.js KeyObject of this type (`private` or `public`). */
export function keyObjectSchema(type: 'private' | 'public') {
  return z.custom<KeyObject>(
    (value) => value instanceof KeyObject && value.type === type,
    `a ${type} KeyObject (node:crypto)`,
  )
}

/** A key with its certificate, as core/keys loads or generates them. */
export const credentialSchema = z.custom<Credential>((value) => {
  const credential = value as Partial<Credential> | null
  return (
    credential?.privateKey instanceof KeyObject &&
    credential.privateKey.type === 'private' &&
    credential.publicKey instanceof KeyObject &&
    typeof credential.certificatePem === 'string' &&
    typeof credential.certificateBase64 === 'string' &&
    credential.notAfter instanceof Date
  )
}, 'a credential from core/keys: privateKey, publicKey, certificatePem, certificateBase64, notAfter')
