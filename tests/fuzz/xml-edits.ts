import { DOMParser, XMLSerializer } from '@xmldom/xmldom'
import fc from 'fast-check'

/**
 * Structural mutations of a valid XML message: remove, duplicate, move or wrap an element, swap
 * it with its next sibling, replace its text, change or drop an attribute. Elements and
 * attributes are picked by number modulo how many there are, in document order.
 */
export type XmlEdit =
  | { op: 'remove' | 'duplicate' | 'wrap' | 'swap'; element: number }
  | { op: 'move'; element: number; before: number }
  | { op: 'text'; element: number; text: string }
  | { op: 'attribute'; element: number; attribute: number; value: string }
  | { op: 'drop-attribute'; element: number; attribute: number }

/** Values that checks compare: instants, identities, URLs, sizes, markup. */
const interestingText = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'alice',
    'admin',
    '2.0',
    '1.1',
    '1970-01-01T00:00:00Z',
    '2030-01-01T12:00:00Z',
    '9999-12-31T23:59:59Z',
    'not-a-date',
    'http://127.0.0.1:7100/saml/acs',
    'http://127.0.0.1:7000/saml/metadata',
    'https://evil.example/',
    'urn:oasis:names:tc:SAML:2.0:status:Success',
    'urn:oasis:names:tc:SAML:2.0:cm:bearer',
    'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
    '_dup',
    '&',
    '<x/>',
  ),
  fc.string({ maxLength: 40 }),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
)

const element = fc.nat()

export const xmlEdit: fc.Arbitrary<XmlEdit> = fc.oneof(
  fc.record({
    op: fc.constantFrom('remove', 'duplicate', 'wrap', 'swap'),
    element,
  }),
  fc.record({ op: fc.constant('move'), element, before: fc.nat() }),
  fc.record({ op: fc.constant('text'), element, text: interestingText }),
  fc.record({ op: fc.constant('attribute'), element, attribute: fc.nat(), value: interestingText }),
  fc.record({ op: fc.constant('drop-attribute'), element, attribute: fc.nat() }),
)

export const xmlEdits = fc.array(xmlEdit, { minLength: 1, maxLength: 3 })

/** Applies the edits to a copy of `xml` (well-formed) and serializes the result. */
export function applyXmlEdits(xml: string, edits: readonly XmlEdit[]): string {
  const doc = new DOMParser({ onError: () => {} }).parseFromString(xml, 'text/xml')
  for (const edit of edits) applyXmlEdit(doc, edit)
  return new XMLSerializer().serializeToString(doc)
}

function applyXmlEdit(doc: ReturnType<DOMParser['parseFromString']>, edit: XmlEdit): void {
  const elements = Array.from(doc.getElementsByTagName('*'))
  const target = elements[edit.element % elements.length]
  if (!target) return
  const parent = target.parentNode
  switch (edit.op) {
    case 'remove':
      if (parent && parent !== doc) parent.removeChild(target)
      return
    case 'duplicate':
      if (parent && parent !== doc) parent.insertBefore(target.cloneNode(true), target.nextSibling)
      return
    case 'wrap': {
      const wrapper = doc.createElementNS('urn:ssoproof:fuzz', 'fuzz:Wrapper')
      parent?.replaceChild(wrapper, target)
      wrapper.appendChild(target)
      return
    }
    case 'swap': {
      let next = target.nextSibling
      while (next && next.nodeType !== next.ELEMENT_NODE) next = next.nextSibling
      if (parent && next) parent.insertBefore(next, target)
      return
    }
    case 'move': {
      const before = elements[edit.before % elements.length]
      // An element cannot move into itself; the root stays the root.
      const place = before?.parentNode
      if (!before || !place || place === doc) return
      if (target === before || target.contains(before) || parent === doc) return
      place.insertBefore(target, before)
      return
    }
    case 'text':
      target.textContent = edit.text
      return
    case 'attribute':
    case 'drop-attribute': {
      const attribute = target.attributes[edit.attribute % Math.max(target.attributes.length, 1)]
      if (!attribute) return
      if (edit.op === 'attribute') attribute.value = edit.value
      else target.removeAttributeNode(attribute)
      return
    }
  }
}
