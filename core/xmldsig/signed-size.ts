import type { Element, Node } from '@xmldom/xmldom'
import { SsoError } from '../errors/index.ts'
import { isElement, xmlLimits } from '../xml/index.ts'

/**
 * Cost before trust (catalogue case 38): the element a signature covers is canonicalized and
 * digested whole, so it is measured first, in one walk that stops at the cap: its nodes and
 * attributes (namespace declarations included) together. A real Assertion holds a few hundred;
 * a message stuffed to make the SP canonicalize is refused before any of that work.
 */
export function checkSignedSize(element: Element, maxItems = xmlLimits.maxSignedItems): void {
  let items = 0
  const stack: Node[] = [element]
  for (let node = stack.pop(); node; node = stack.pop()) {
    items += 1 + (isElement(node) ? node.attributes.length : 0)
    if (items > maxItems) {
      throw new SsoError(
        'SAML_SIGNED_ELEMENT_TOO_LARGE',
        'Reference',
        `the signed ${element.localName} holds more than ${maxItems} nodes and attributes`,
        { element: element.localName, maxItems },
      )
    }
    for (let child = node.firstChild; child; child = child.nextSibling) stack.push(child)
  }
}
