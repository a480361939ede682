import { createPrivateKey, type KeyObject } from 'node:crypto'
import { parseCertificate } from './parse.ts'

/** How many keys each cache keeps; the least recently used goes first. */
const capacity = 32

const privateKeys = new Map<string, KeyObject>()
const certificateKeys = new Map<string, KeyObject>()

/**
 * The KeyObject of a PEM private key, parsed once per distinct text: code that is handed PEM on
 * every request (a Redirect-binding signature) must not parse it per request. Throws as
 * `createPrivateKey` does for text that is no key; nothing is cached then.
 */
export function privateKeyOf(pem: string): KeyObject {
  return remember(privateKeys, pem, () => createPrivateKey(pem))
}

/** The public key of a certificate (PEM or base64 DER), parsed once per distinct text. */
export function certificatePublicKeyOf(text: string): KeyObject {
  return remember(certificateKeys, text, () => parseCertificate(text).publicKey)
}

function remember(cache: Map<string, KeyObject>, text: string, parse: () => KeyObject): KeyObject {
  const known = cache.get(text)
  if (known) {
    cache.delete(text)
    cache.set(text, known)
    return known
  }
  const key = parse()
  cache.set(text, key)
  if (cache.size > capacity) {
    const oldest = cache.keys().next()
    if (!oldest.done) cache.delete(oldest.value)
  }
  return key
}
