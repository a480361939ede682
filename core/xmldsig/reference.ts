import { timingSafeEqual } from 'node:crypto'
import type { SignedXml } from 'xml-crypto'
import { type Evidence, SsoError } from '../errors/index.ts'
import { ancestorNamespaces } from './ancestor-namespaces.ts'

/**
 * xmldsig-core 3.2.1 reference validation, on the caller's own node (catalogue items 1 and 9).
 * `signedXml` has loaded the Signature; its one Reference must be `#` + `id`, the ID that
 * requireUniqueId proved only `element` holds, so `element` is the node it dereferences to: no
 * serialization, no re-parse, no XPath. xml-crypto's canonicalizer applies the Reference's
 * transforms to a clone of `element` itself and its hash algorithm digests the octets, so what
 * the caller reads from `element` is exactly what was hashed. Returns whether the digest matches.
 */
export function referenceDigestMatches(
  signedXml: SignedXml,
  element: Element,
  id: string,
  evidence: () => Evidence,
): boolean {
  const references = signedXml.getReferences()
  const [reference] = references
  if (references.length !== 1 || reference?.uri !== `#${id}`) {
    throw new SsoError(
      'SAML_SIGNATURE_INVALID',
      'Reference',
      'the signature does not cover exactly this element',
      evidence(),
    )
  }
  const Hash = signedXml.HashAlgorithms[reference.digestAlgorithm]
  if (Hash === undefined || typeof reference.digestValue !== 'string') {
    throw new Error('the Reference cannot be digested')
  }
  const octets = signedXml.getCanonXml(reference.transforms, element, {
    inclusiveNamespacesPrefixList: reference.inclusiveNamespacesPrefixList,
    ancestorNamespaces: ancestorNamespaces(element),
  })
  const computed = Buffer.from(new Hash().getHash(octets), 'base64')
  const expected = Buffer.from(reference.digestValue, 'base64')
  return computed.length === expected.length && timingSafeEqual(computed, expected)
}
