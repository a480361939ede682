import { attr, childElements, ns, textContent } from '../../core/xml/index.ts'

/** The AttributeStatement as Name → values (saml-core §2.7.3). */
export function readAttributes(assertion: Element): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null)
  for (const statement of childElements(assertion, ns.saml, 'AttributeStatement')) {
    for (const attribute of childElements(statement, ns.saml, 'Attribute')) {
      const name = attr(attribute, 'Name')
      if (!name) continue
      const values = childElements(attribute, ns.saml, 'AttributeValue').map((value) =>
        textContent(value),
      )
      out[name] = [...(out[name] ?? []), ...values]
    }
  }
  return out
}
