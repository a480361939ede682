import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import forge from 'node-forge'

/**
 * An RSA-2048 key pair that is a pure function of `seed`, for runs that must be repeatable on
 * any machine (`ssoproof run --seed`). Node's key generator takes no seed, so node-forge's
 * generator runs on a deterministic byte stream (SHA-256 over the seed and a counter). These
 * keys are for test runs only: anyone who knows the seed knows the key.
 */
export function seededRsaKeyPair(seed: string): { privateKey: KeyObject; publicKey: KeyObject } {
  const stream = seededStream(`rsa-key:${seed}`)
  const prng = { getBytesSync: (count: number) => stream(count).toString('binary') }
  const pair = forge.pki.rsa.generateKeyPair({
    bits: 2048,
    e: 0x10001,
    prng,
    algorithm: 'PRIMEINC',
  } as forge.pki.rsa.GenerateKeyPairOptions)
  const privateKey = createPrivateKey(forge.pki.privateKeyToPem(pair.privateKey))
  return { privateKey, publicKey: createPublicKey(privateKey) }
}

/** A positive certificate serial number (hex) derived from the seed (RFC 5280 §4.1.2.2). */
export function seededSerialNumber(seed: string): string {
  const bytes = seededStream(`serial:${seed}`)(16)
  bytes[0] = (bytes[0] ?? 0) & 0x7f
  return bytes.toString('hex')
}

function seededStream(seed: string): (count: number) => Buffer {
  let counter = 0
  return (count) => {
    const blocks: Buffer[] = []
    let length = 0
    while (length < count) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest()
      blocks.push(block)
      length += block.length
    }
    return Buffer.concat(blocks).subarray(0, count)
  }
}
