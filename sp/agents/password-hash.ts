import { scrypt, scryptSync, timingSafeEqual } from 'node:crypto'
import type { Random } from '../../core/random/index.ts'

// scrypt (RFC 7914) with the interactive-login cost of its paper: N = 2^14, r = 8, p = 1.
const cost = { N: 16_384, r: 8, p: 1 }
const keyLength = 32
const maxmem = 64 * 1024 * 1024

function derive(password: string, salt: Buffer, params = cost): Promise<Buffer> {
  return new Promise((done, fail) =>
    scrypt(password, salt, keyLength, { ...params, maxmem }, (error, key) =>
      error ? fail(error) : done(key),
    ),
  )
}

/**
 * `scrypt$N$r$p$<salt>$<key>` (base64url): what the agents table keeps instead of a password.
 * Synchronous (some 50 ms): agents are provisioned at start and by the admin API, rarely.
 */
export function hashPassword(password: string, random: Random): string {
  const salt = random.bytes(16)
  const key = scryptSync(password, salt, keyLength, { ...cost, maxmem })
  return [
    'scrypt',
    cost.N,
    cost.r,
    cost.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$')
}

// Checked when an agent has no password, so that "no such agent" takes as long as "wrong password".
const placeholder = `scrypt$${cost.N}$${cost.r}$${cost.p}$${'A'.repeat(22)}$${'A'.repeat(43)}`

/** True when `password` matches `stored`; false for no stored hash, after the same work. */
export async function verifyPassword(
  password: string,
  stored: string | undefined,
): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = (stored ?? placeholder).split('$')
  if (scheme !== 'scrypt' || !salt || !key) return false
  const expected = Buffer.from(key, 'base64url')
  const actual = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  })
  return (
    stored !== undefined && actual.length === expected.length && timingSafeEqual(actual, expected)
  )
}
