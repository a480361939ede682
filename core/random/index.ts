import { createHash, randomBytes, randomFillSync } from 'node:crypto'

/**
 * Injected randomness for identifiers (message IDs, session IDs, artifact handles). A seeded
 * source makes a run reproducible; the default draws from the system CSPRNG. Keys are never
 * drawn from here.
 */
export interface Random {
  bytes(length: number): Buffer
}

/** Bytes drawn from the CSPRNG at a time; smaller draws are served from them, each byte once. */
const poolBytes = 4096

/**
 * The system CSPRNG, drawn 4 KiB at a time (as Node.js does for randomUUID): a sign-in takes
 * some twenty small draws, and each call into OpenSSL costs more than the bytes. Every byte is
 * handed out once; a draw larger than the pool goes to the CSPRNG directly.
 */
export const systemRandom: Random = {
  bytes(length) {
    if (length > poolBytes) return randomBytes(length)
    if (poolOffset + length > poolBytes) {
      randomFillSync(pool)
      poolOffset = 0
    }
    const out = Buffer.from(pool.subarray(poolOffset, poolOffset + length))
    poolOffset += length
    return out
  },
}

const pool = Buffer.alloc(poolBytes)
let poolOffset = poolBytes

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
