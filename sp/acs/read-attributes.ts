import type { Element } from '@xmldom/xmldom'
import { attr, childElements, ns, textContent } from '../../core/xml/index.ts'

/** The AttributeStatement as Name → values (saml-core §2.7.3). */
export function readAttributes(assertion: Element): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null)
  for (const attribute of attributeElements(assertion)) {
    const name = attr(attribute, 'Name')
    if (!name) continue
    const values = childElements(attribute, ns.saml, 'AttributeValue').map((value) =>
      textContent(value),
    )
    out[name] = [...(out[name] ?? []), ...values]
  }
  return out
}

/**
 * Name → FriendlyName, for the attributes that carry one (saml-core §2.7.3.1: a display name
 * such as `mail` beside `urn:oid:0.9.2342.19200300.100.1.3`); only ever used for hints.
 */
export function readFriendlyNames(assertion: Element): Record<string, string> {
  const out: Record<string, string> = Object.create(null)
  for (const attribute of attributeElements(assertion)) {
    const name = attr(attribute, 'Name')
    const friendly = attr(attribute, 'FriendlyName')
    if (name && friendly) out[name] = friendly
  }
  return out
}

function attributeElements(assertion: Element): Element[] {
  return childElements(assertion, ns.saml, 'AttributeStatement').flatMap((statement) =>
    childElements(statement, ns.saml, 'Attribute'),
  )
}
