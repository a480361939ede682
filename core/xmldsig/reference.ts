import { createHash, timingSafeEqual } from 'node:crypto'
import type { Element } from '@xmldom/xmldom'
import type { DigestAlgorithmName } from './algorithm-ids.ts'
import { canonicalReference } from './canonical-octets.ts'
import { xmlCryptoOctets } from './xml-crypto-octets.ts'

export interface ReferenceCheck {
  element: Element
  signature: Element
  signedInfo: Element
  canonicalization: string
  allowSha1: boolean
  /** The one Reference, read by readSignature: its URI is `#` + the element's unique ID. */
  digestAlgorithm: DigestAlgorithmName
  /** Base64, whitespace removed. */
  digestValue: string
  transforms: readonly string[]
  inclusiveNamespaces: readonly string[]
}

/** node:crypto's names for the allowed digests (xmldsig-core 6.2, RFC 6931 2.1). */
const nodeHashes: Record<DigestAlgorithmName, string> = {
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  sha1: 'sha1',
}

/**
 * xmldsig-core 3.2.1 reference validation, on the caller's own node (catalogue items 1 and 9).
 * The Reference is `#` + the ID that requireUniqueId proved only `element` holds, so `element`
 * is the node it dereferences to: no serialization, no re-parse, no XPath. Its transforms are
 * applied to `element` itself (canonical-octets.ts, byte for byte what xml-crypto renders; other
 * transform lists go through xml-crypto) and the octets are digested, so what the caller reads
 * from `element` is exactly what was hashed. Returns whether the digest matches.
 */
export function referenceDigestMatches(check: ReferenceCheck): boolean {
  const octets =
    canonicalReference(check.element, check.signature, check) ?? xmlCryptoOctets(check).reference
  const computed = createHash(nodeHashes[check.digestAlgorithm]).update(octets, 'utf8').digest()
  const expected = Buffer.from(check.digestValue, 'base64')
  return computed.length === expected.length && timingSafeEqual(computed, expected)
}
