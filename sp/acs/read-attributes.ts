import type { Element } from '@xmldom/xmldom'
import { attr, isElement, ns, textContent } from '../../core/xml/index.ts'

/**
 * The AttributeStatement as Name → values (saml-core §2.7.3): every AttributeValue of every
 * Attribute of that Name, in document order; a Name with no value maps to an empty list.
 */
export function readAttributes(assertion: Element): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null)
  forEachAttribute(assertion, (attribute) => {
    const name = attr(attribute, 'Name')
    if (!name) return
    out[name] ??= []
    const values = out[name]
    for (let child = attribute.firstChild; child; child = child.nextSibling) {
      if (isSaml(child, 'AttributeValue')) values.push(textContent(child))
    }
  })
  return out
}

/**
 * Name → FriendlyName, for the attributes that carry one (saml-core §2.7.3.1: a display name
 * such as `mail` beside `urn:oid:0.9.2342.19200300.100.1.3`); only ever used for hints.
 */
export function readFriendlyNames(assertion: Element): Record<string, string> {
  const out: Record<string, string> = Object.create(null)
  forEachAttribute(assertion, (attribute) => {
    const name = attr(attribute, 'Name')
    const friendly = attr(attribute, 'FriendlyName')
    if (name && friendly) out[name] = friendly
  })
  return out
}

/** Each saml:Attribute child of each saml:AttributeStatement child, in document order. */
function forEachAttribute(assertion: Element, visit: (attribute: Element) => void): void {
  // Sibling links, not lists: every sign-in reads each attribute twice through here.
  for (let statement = assertion.firstChild; statement; statement = statement.nextSibling) {
    if (!isSaml(statement, 'AttributeStatement')) continue
    for (let child = statement.firstChild; child; child = child.nextSibling) {
      if (isSaml(child, 'Attribute')) visit(child)
    }
  }
}

function isSaml(node: Element['firstChild'], localName: string): node is Element {
  return isElement(node) && node.namespaceURI === ns.saml && node.localName === localName
}
