import { generateKeyPair, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'

export interface RsaKeyPair {
  privateKey: KeyObject
  publicKey: KeyObject
}

const generateRsaKeyPair = promisify(generateKeyPair)

/** A new RSA key pair (2048 bits unless told), generated on one of libuv's threads. */
export async function generateRsaKeys(modulusLength = 2048): Promise<RsaKeyPair> {
  const { privateKey, publicKey } = await generateRsaKeyPair('rsa', { modulusLength })
  return { privateKey, publicKey }
}
