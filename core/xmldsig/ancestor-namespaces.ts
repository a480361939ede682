import type { Element } from '@xmldom/xmldom'
import { isElement } from '../xml/dom.ts'
/**
 * Namespace declarations in scope from the ancestors of `element` (innermost wins), minus those
 * the element declares itself and its own prefix, and minus undeclarations: what xml-crypto's
 * canonicalizers need to render the element out of its context (xmldsig-core 4.4.3.3; xml-crypto
 * computes the same list in `findAncestorNsForElement`, but only behind an XPath).
 */
export function ancestorNamespaces(
  element: Element,
): Array<{ prefix: string; namespaceURI: string }> {
  const seen = new Set<string>([element.prefix ?? ''])
  // Index loops: xmldom's attribute iterator makes an object per attribute, on every signature.
  const own = element.attributes
  for (let i = 0; i < own.length; i++) {
    const prefix = declaredPrefix(own[i]?.name ?? '')
    if (prefix !== undefined) seen.add(prefix)
  }
  const found: Array<{ prefix: string; namespaceURI: string }> = []
  for (let node = element.parentNode; isElement(node); node = node.parentNode) {
    const { attributes } = node
    for (let i = 0; i < attributes.length; i++) {
      const attribute = attributes[i]
      const prefix = declaredPrefix(attribute?.name ?? '')
      if (attribute === undefined || prefix === undefined || seen.has(prefix)) continue
      seen.add(prefix)
      if (attribute.value !== '') found.push({ prefix, namespaceURI: attribute.value })
    }
  }
  return found
}

function declaredPrefix(attributeName: string): string | undefined {
  if (attributeName === 'xmlns') return ''
  return attributeName.startsWith('xmlns:') ? attributeName.slice(6) : undefined
}
