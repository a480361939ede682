import { createHash, randomBytes } from 'node:crypto'

/**
 * Injected randomness for identifiers (message IDs, session IDs, artifact handles). A seeded
 * source makes a run reproducible; the default draws from the system CSPRNG. Keys are never
 * drawn from here.
 */
export interface Random {
  bytes(length: number): Buffer
}

export const systemRandom: Random = { bytes: (length) => randomBytes(length) }

/** Deterministic bytes: SHA-256 over the seed and a counter. For tests and seeded runs only. */
export function createSeededRandom(seed: string): Random {
  let counter = 0
  return {
    bytes(length) {
      const out = Buffer.alloc(length)
      let filled = 0
      while (filled < length) {
        const block = createHash('sha256').update(`${seed}:${counter++}`).digest()
        filled += block.copy(out, filled)
      }
      return out
    },
  }
}

/** An xs:ID value (must not start with a digit, saml-core 1.3.4): `_` and 40 hex digits. */
export function newId(random: Random): string {
  return `_${random.bytes(20).toString('hex')}`
}

/** An opaque URL-safe token, e.g. for cookies. */
export function newToken(random: Random, bytes = 24): string {
  return random.bytes(bytes).toString('base64url')
}
