import type { FaultOf } from '../schema.ts'

// The order of the P-256 group (FIPS 186-4 D.1.2.3): with (r, s), (r, n − s) verifies too.
const p256Order = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551')

const partIndex = { header: 0, payload: 1, signature: 2 } as const

/**
 * Catalogue item 34: the same token in another spelling, after signing. `padding`: `=` or `==`
 * appended to a part (base64url in a JWS has none, RFC 7515 §2); `unused-bits`: the last
 * character's bits that encode nothing set (RFC 4648 §3.5) — both decode to the same bytes, so
 * a lenient verifier takes the token, and a replay cache keyed on its text takes it for a new
 * one. `ecdsa-twin`: an ES256 signature (r, s) as (r, n − s), another valid signature of the
 * same content; tokens of other algorithms stay as they are.
 */
export function respell(token: string, fault: FaultOf<'jwt-reencoded'>): string {
  const parts = token.split('.')
  const index = fault.spelling === 'ecdsa-twin' ? 2 : partIndex[fault.part]
  const part = parts[index]
  if (part === undefined) return token
  parts[index] =
    fault.spelling === 'padding'
      ? withPadding(part)
      : fault.spelling === 'unused-bits'
        ? withUnusedBits(part)
        : ecdsaTwin(token, part)
  return parts.join('.')
}

/** `==` where a whole number of bytes would take two, else `=` (4 − length mod 4). */
function withPadding(part: string): string {
  const missing = (4 - (part.length % 4)) % 4
  return `${part}${'='.repeat(missing === 0 ? 2 : missing)}`
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** The lowest unused bit of the last character set; a part with none unused gets padding. */
function withUnusedBits(part: string): string {
  if (part.length % 4 === 0) return withPadding(part)
  const last = alphabet.indexOf(part.at(-1) ?? 'A')
  return `${part.slice(0, -1)}${alphabet[last | 1]}`
}

function ecdsaTwin(token: string, signature: string): string {
  const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString())
  const bytes = Buffer.from(signature, 'base64url')
  if (header.alg !== 'ES256' || bytes.length !== 64) return signature
  const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`)
  const twin = Buffer.from((p256Order - s).toString(16).padStart(64, '0'), 'hex')
  return Buffer.concat([bytes.subarray(0, 32), twin]).toString('base64url')
}
