import type { SignedXml } from 'xml-crypto'
import { type Evidence, SsoError } from '../errors/index.ts'

/**
 * Parse once, consume what was verified (catalogue items 1 and 9). xml-crypto re-parses a
 * serialization of the caller's document, so the node it hashed is a copy. This binds the copy
 * to the caller's node: the octets xml-crypto verified (`getSignedReferences()`) must equal the
 * Reference's own transforms applied, by xml-crypto's canonicalizer, to the caller's `element`.
 * Equal canonical octets mean the same element names, namespaces, attributes and text, so what
 * the caller reads from `element` is what the signer signed, whichever node the copy resolved.
 */
export function requireVerifiedOctetsAreElement(
  signedXml: SignedXml,
  element: Element,
  id: string,
  evidence: Evidence,
): void {
  const signed = signedXml.getSignedReferences()
  const references = signedXml.getReferences()
  const [reference] = references
  if (signed.length !== 1 || references.length !== 1 || reference?.uri !== `#${id}`) {
    throw unbound('the verified signature does not cover exactly this element', evidence)
  }
  const canonical = signedXml.getCanonXml(reference.transforms, element, {
    inclusiveNamespacesPrefixList: reference.inclusiveNamespacesPrefixList,
    ancestorNamespaces: ancestorNamespaces(element),
  })
  if (canonical !== signed[0]) {
    throw unbound('the verified octets are not the canonical form of this element', evidence)
  }
}

/**
 * Namespace declarations in scope from the ancestors (innermost wins), minus those the element
 * declares itself and its own prefix: what c14n needs to render the element out of context.
 */
function ancestorNamespaces(element: Element): Array<{ prefix: string; namespaceURI: string }> {
  const seen = new Set<string>([element.prefix ?? ''])
  for (const { name } of Array.from(element.attributes)) {
    const prefix = declaredPrefix(name)
    if (prefix !== undefined) seen.add(prefix)
  }
  const found: Array<{ prefix: string; namespaceURI: string }> = []
  for (
    let node = element.parentNode;
    node && node.nodeType === node.ELEMENT_NODE;
    node = node.parentNode
  ) {
    for (const { name, value } of Array.from((node as Element).attributes)) {
      const prefix = declaredPrefix(name)
      if (prefix === undefined || seen.has(prefix)) continue
      seen.add(prefix)
      if (value !== '') found.push({ prefix, namespaceURI: value })
    }
  }
  return found
}

function declaredPrefix(attributeName: string): string | undefined {
  if (attributeName === 'xmlns') return ''
  return attributeName.startsWith('xmlns:') ? attributeName.slice(6) : undefined
}

function unbound(reason: string, evidence: Evidence): SsoError {
  return new SsoError('SAML_SIGNATURE_INVALID', 'Reference', reason, evidence)
}
