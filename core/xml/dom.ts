import type { CharacterData, Document, Element, Node, Text } from '@xmldom/xmldom'
/**
 * Namespace-aware DOM lookups. Elements are matched by namespace URI and local name, never by
 * prefix, and no XPath is built from message content.
 */

/** Element children of `parent`, optionally only those with this namespace and local name. */
export function childElements(
  parent: Element | Document,
  namespace?: string,
  localName?: string,
): Element[] {
  const found: Element[] = []
  for (let child = parent.firstChild; child; child = child.nextSibling) {
    if (!isElement(child)) continue
    if (namespace !== undefined && child.namespaceURI !== namespace) continue
    if (localName !== undefined && child.localName !== localName) continue
    found.push(child)
  }
  return found
}

/**
 * The elements below `root` (not `root` itself) in `namespace` with one of `localNames`, one list
 * per name, each in document order: what getElementsByTagNameNS gives for each name, in one walk.
 * xmldom's builds a live list by a walk that allocates two objects a node; this one keeps a stack.
 */
export function descendantsNamed(
  root: Element | Document,
  namespace: string,
  localNames: readonly string[],
): Element[][] {
  const found = localNames.map((): Element[] => [])
  const stack: Element[] = []
  const pushChildren = (parent: Element | Document) => {
    for (let child = parent.lastChild; child; child = child.previousSibling) {
      if (isElement(child)) stack.push(child)
    }
  }
  pushChildren(root)
  for (let element = stack.pop(); element; element = stack.pop()) {
    if (element.namespaceURI === namespace) {
      const index = localNames.indexOf(element.localName ?? '')
      if (index !== -1) found[index]?.push(element)
    }
    pushChildren(element)
  }
  return found
}

export function firstChildElement(
  parent: Element | Document,
  namespace: string,
  localName: string,
): Element | undefined {
  return childElements(parent, namespace, localName)[0]
}

/**
 * All descendant text (text and CDATA nodes) in document order: what exclusive c14n signs.
 * Comments are skipped, so `victim@corp.com<!---->.evil.com` reads as the whole address
 * (CVE-2017-11427).
 */
export function textContent(node: Node): string {
  // Most SAML values are one text node: read it without a stack, a list and a join.
  const only = node.firstChild
  if (only && only === node.lastChild && isCharacterData(only)) return only.data
  const parts: string[] = []
  const stack: Node[] = [node]
  for (let current = stack.pop(); current; current = stack.pop()) {
    if (isCharacterData(current)) {
      parts.push(current.data)
      continue
    }
    for (let child = current.lastChild; child; child = child.previousSibling) stack.push(child)
  }
  return parts.join('')
}

/**
 * xmldom types every child, parent and clone as a plain Node; these read nodeType instead of
 * casting, so a wrong guess is a branch not taken rather than a method missing at run time.
 */
export function isElement(node: Node | null | undefined): node is Element {
  return node?.nodeType === 1 // Node.ELEMENT_NODE
}

function isCharacterData(node: Node): node is CharacterData {
  return node.nodeType === node.TEXT_NODE || node.nodeType === node.CDATA_SECTION_NODE
}

export function isText(node: Node | null | undefined): node is Text {
  return node?.nodeType === 3 // Node.TEXT_NODE
}

/** A deep copy of an element (xmldom's cloneNode returns a Node). */
export function cloneElement(element: Element): Element {
  const copy = element.cloneNode(true)
  if (!isElement(copy)) throw new TypeError(`the copy of ${element.nodeName} is no element`)
  return copy
}

/**
 * A document's root element. parseXml refuses a document without one (its result is typed
 * `XmlDocument`); a Document built or passed another way is checked here.
 */
export function rootElement(doc: Document): Element {
  const root = doc.documentElement
  if (!root) throw new TypeError('the document has no root element')
  return root
}

/**
 * The document a node belongs to. xmldom types `ownerDocument` as nullable (a Document has
 * none); every element it parses or creates has one, so a missing one is a programming error.
 */
export function ownerDocumentOf(node: Node): Document {
  const doc = node.ownerDocument
  if (!doc) throw new TypeError(`the ${node.nodeName} node belongs to no document`)
  return doc
}

/** An element's local name: a namespace-aware parse always sets it (xmldom types it nullable). */
export function localNameOf(element: Element): string {
  return element.localName ?? element.nodeName
}

/** The value of the attribute `name` in no namespace (how SAML writes its attributes). */
export function attr(element: Element, name: string): string | undefined {
  return element.getAttributeNodeNS(null, name)?.value
}

/**
 * The attribute names an XML signature library resolves `#id` against (xml-crypto tries `Id`,
 * `ID` and `id`, in any namespace), so a uniqueness check must count all of them.
 */
const idAttributeNames = new Set(['ID', 'Id', 'id'])

/**
 * Every element of `doc` that carries an ID-like attribute equal to `id`, in document order. SAML
 * uses `ID`; the other spellings are counted too, so a decoy under another spelling is caught.
 */
export function findElementsById(doc: Document, id: string): Element[] {
  const found: Element[] = []
  const root = doc.documentElement
  const stack: Element[] = root ? [root] : []
  // Index loops and sibling links: each signature walks the whole document once through here.
  for (let element = stack.pop(); element; element = stack.pop()) {
    const { attributes } = element
    for (let i = 0; i < attributes.length; i++) {
      const attribute = attributes.item(i)
      if (attribute && attribute.value === id && idAttributeNames.has(attribute.localName ?? '')) {
        found.push(element)
        break
      }
    }
    for (let child = element.lastChild; child; child = child.previousSibling) {
      if (isElement(child)) stack.push(child)
    }
  }
  return found
}
