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
  for (const { name } of Array.from(element.attributes)) {
    const prefix = declaredPrefix(name)
    if (prefix !== undefined) seen.add(prefix)
  }
  const found: Array<{ prefix: string; namespaceURI: string }> = []
  for (let node = element.parentNode; isElement(node); node = node.parentNode) {
    for (const { name, value } of Array.from(node.attributes)) {
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
