import { createPrivateKey, type KeyObject } from 'node:crypto'
import { parseCertificate } from './parse.ts'

/** How many parsed texts each cache keeps; the least recently used goes first. */
const capacity = 32

/**
 * A bounded cache of what `parse` makes of a text, keyed by the exact text: code that is handed
 * the same PEM on every request must not parse it per request, and a different text (another
 * certificate, one changed byte) is always parsed anew, never served another text's result.
 * When `parse` throws, nothing is cached. Cached values are shared: keep them immutable.
 */
export function cacheParsed<T>(parse: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>()
  return (text) => {
    if (cache.has(text)) {
      const known = cache.get(text) as T
      cache.delete(text)
      cache.set(text, known)
      return known
    }
    const parsed = parse(text)
    cache.set(text, parsed)
    if (cache.size > capacity) {
      const oldest = cache.keys().next()
      if (!oldest.done) cache.delete(oldest.value)
    }
    return parsed
  }
}

/**
 * The KeyObject of a PEM private key, parsed once per distinct text (a Redirect-binding signature
 * is handed PEM on every request). Throws as `createPrivateKey` does for text that is no key.
 */
export const privateKeyOf: (pem: string) => KeyObject = cacheParsed((pem) => createPrivateKey(pem))

/** The public key of a certificate (PEM or base64 DER), parsed once per distinct text. */
export const certificatePublicKeyOf: (text: string) => KeyObject = cacheParsed(
  (text) => parseCertificate(text).publicKey,
)
