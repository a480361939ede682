/**
 * A message the IdP builds, kept as a small element tree so that each element can be written
 * twice without parsing anything: as it goes into the document, and in its Exclusive XML
 * Canonicalization (xml-exc-c14n §3, without comments), the form a signature digests.
 */
export interface XmlElement {
  /** The qualified name; every element here has a prefix (`saml:Assertion`). */
  name: string
  /** Namespace declarations on this element, prefix → URI, in document order. */
  namespaces: Record<string, string>
  /** Attributes in document order, `[qualified name, value]`. */
  attributes: [string, string][]
  children: (XmlElement | string)[]
}

export function element(
  name: string,
  attributes: Record<string, string | undefined> = {},
  children: (XmlElement | string)[] = [],
  namespaces: Record<string, string> = {},
): XmlElement {
  const present: [string, string][] = []
  for (const key in attributes) {
    const value = attributes[key]
    if (value !== undefined) present.push([key, value])
  }
  return { name, namespaces, attributes: present, children }
}

/** The element as it goes into the document: declarations and attributes in order, `<a/>` when empty. */
export function serializeElement(node: XmlElement): string {
  let out = `<${node.name}`
  // for…in, not Object.entries: no array per element (the same document order).
  for (const prefix in node.namespaces) {
    out += ` xmlns:${prefix}="${escapeAttribute(node.namespaces[prefix] as string)}"`
  }
  for (const [name, value] of node.attributes) out += ` ${name}="${escapeAttribute(value)}"`
  if (node.children.length === 0) return `${out}/>`
  out += '>'
  for (const child of node.children) {
    out += typeof child === 'string' ? escapeText(child) : serializeElement(child)
  }
  return `${out}</${node.name}>`
}

/**
 * The exclusive canonical form of `node` as the apex of a document subset (xml-exc-c14n §3):
 * a namespace is written on the first element that visibly uses it (its own prefix or an
 * attribute's) unless an output ancestor already wrote it with the same URI; declarations sorted
 * by prefix, attributes by namespace URI then local name; `<a></a>` for empty elements.
 * `inScope` holds the declarations of the ancestors `node` is taken out of. `inclusive` is the
 * InclusiveNamespaces PrefixList (xml-exc-c14n §3): those prefixes are written where in scope
 * even when not visibly used, as a QName in an attribute value (`xsi:type="xs:string"`) needs.
 */
export function canonicalizeElement(
  node: XmlElement,
  inScope: ReadonlyMap<string, string> = new Map(),
  inclusive: readonly string[] = [],
  kept?: KeptCanonicals,
): string {
  const keeping = kept === undefined ? undefined : { forms: kept, entered: undefined }
  return canonical(node, new Map(inScope), new Map(), inclusive, keeping, 0)
}

/**
 * The kept forms a canonicalization reads and adds to, and the context its apex's children are
 * entered in — the same for each (a child puts both maps back as they were), so copied once.
 */
interface Keeping {
  forms: KeptCanonicals
  entered: Pick<KeptCanonical, 'scope' | 'rendered'> | undefined
}

/**
 * Canonical forms of subtrees kept from one canonicalization for the next over the same tree:
 * the IdP signs the Assertion, then the Response around it, so without them every element of
 * the Assertion is written twice. A call given one keeps the form of each child of its apex, with
 * the namespace context it was written in; a later call given the same one writes a kept child
 * from it when the prefixes the child's subtree names (its elements', its attributes', the
 * InclusiveNamespaces list) are bound and already written exactly as they were — then its
 * output could not differ. The subtrees must not change in between: keep one per message built.
 */
export type KeptCanonicals = WeakMap<XmlElement, KeptCanonical>

interface KeptCanonical {
  text: string
  inclusive: readonly string[]
  /** The declarations in force and those written by an output ancestor, as the child was entered. */
  scope: ReadonlyMap<string, string>
  rendered: ReadonlyMap<string, string>
}

export function keptCanonicals(): KeptCanonicals {
  return new WeakMap()
}

/** The namespace declarations in force inside `node`, given those of its ancestors. */
export function scopeOf(
  node: XmlElement,
  inScope: ReadonlyMap<string, string>,
): ReadonlyMap<string, string> {
  const declared = Object.entries(node.namespaces)
  return declared.length === 0 ? inScope : new Map([...inScope, ...declared])
}

/**
 * One element and its subtree. `scope` (the declarations in force) and `rendered` (those an
 * output ancestor wrote) are changed for the subtree and put back as they were before it returns:
 * a signed Response is some fifty elements, and copying both maps at each one cost more than the
 * writing.
 */
function canonical(
  node: XmlElement,
  scope: Map<string, string>,
  rendered: Map<string, string>,
  inclusive: readonly string[],
  kept: Keeping | undefined,
  depth: number,
): string {
  if (kept !== undefined && depth > 0) {
    const before = kept.forms.get(node)
    if (before !== undefined && sameContext(node, before, scope, rendered, inclusive)) {
      return before.text
    }
  }
  const restoreScope = enter(scope, node.namespaces)
  const used = [prefixOf(node.name)]
  for (const prefix of inclusive) {
    if (scope.has(prefix) && !used.includes(prefix)) used.push(prefix)
  }
  let prefixedAttributes = false
  for (const [name] of node.attributes) {
    const prefix = attributePrefix(name)
    if (prefix === undefined) continue
    prefixedAttributes = true
    if (!used.includes(prefix)) used.push(prefix)
  }
  if (used.length > 1) sortFew(used)
  let out = `<${node.name}`
  let restoreRendered: [string, string | undefined][] | undefined
  for (const prefix of used) {
    const uri = namespaceOf(prefix, scope)
    const before = rendered.get(prefix)
    if (before === uri) continue
    out += ` xmlns:${prefix}="${escapeCanonicalAttribute(uri)}"`
    restoreRendered ??= []
    restoreRendered.push([prefix, before])
    rendered.set(prefix, uri)
  }
  const attributes = node.attributes
  if (attributes.length === 1 && !prefixedAttributes) {
    const [name, value] = attributes[0] as [string, string]
    out += ` ${name}="${escapeCanonicalAttribute(value)}"`
  } else if (attributes.length > 0 && !prefixedAttributes) {
    for (const [name, value] of byName(attributes)) {
      out += ` ${name}="${escapeCanonicalAttribute(value)}"`
    }
  } else if (attributes.length > 0) {
    for (const { name, value } of sortedAttributes(attributes, scope)) {
      out += ` ${name}="${escapeCanonicalAttribute(value)}"`
    }
  }
  out += '>'
  for (const child of node.children) {
    out +=
      typeof child === 'string'
        ? escapeText(child)
        : canonical(child, scope, rendered, inclusive, kept, depth + 1)
  }
  if (restoreRendered) restore(rendered, restoreRendered)
  if (restoreScope) restore(scope, restoreScope)
  out += `</${node.name}>`
  // Both maps are as they were when the node was entered.
  if (kept !== undefined && depth === 1) {
    kept.entered ??= { scope: new Map(scope), rendered: new Map(rendered) }
    kept.forms.set(node, { text: out, inclusive, ...kept.entered })
  }
  return out
}

/**
 * Whether a kept subtree would be written now as it was then: same PrefixList, and every prefix
 * it names bound to the same URI and written (or not) by an output ancestor the same way.
 */
function sameContext(
  node: XmlElement,
  before: KeptCanonical,
  scope: ReadonlyMap<string, string>,
  rendered: ReadonlyMap<string, string>,
  inclusive: readonly string[],
): boolean {
  if (
    before.inclusive.length !== inclusive.length ||
    before.inclusive.some((prefix, index) => prefix !== inclusive[index])
  ) {
    return false
  }
  for (const prefix of namedPrefixes(node, new Set(inclusive))) {
    if (before.scope.get(prefix) !== scope.get(prefix)) return false
    if (before.rendered.get(prefix) !== rendered.get(prefix)) return false
  }
  return true
}

/** The prefixes a subtree's element and attribute names use, added to `into`. */
function namedPrefixes(node: XmlElement, into: Set<string>): Set<string> {
  into.add(prefixOf(node.name))
  for (const [name] of node.attributes) {
    const prefix = attributePrefix(name)
    if (prefix !== undefined) into.add(prefix)
  }
  for (const child of node.children) if (typeof child !== 'string') namedPrefixes(child, into)
  return into
}

/** Declares `namespaces` in `scope`; returns what to put back, or undefined when none. */
function enter(
  scope: Map<string, string>,
  namespaces: Record<string, string>,
): [string, string | undefined][] | undefined {
  let saved: [string, string | undefined][] | undefined
  for (const prefix in namespaces) {
    saved ??= []
    saved.push([prefix, scope.get(prefix)])
    scope.set(prefix, namespaces[prefix] as string)
  }
  return saved
}

function restore(map: Map<string, string>, saved: [string, string | undefined][]): void {
  for (let i = saved.length - 1; i >= 0; i--) {
    const [prefix, before] = saved[i] as [string, string | undefined]
    if (before === undefined) map.delete(prefix)
    else map.set(prefix, before)
  }
}

/**
 * Unprefixed attributes (no namespace URI) by name (c14n §2.2), as a sorted copy. An element has
 * a few: they are ordered by insertion, comparing UTF-16 code units as sort() does, without an
 * object per attribute; a long list goes to sort().
 */
function byName(attributes: readonly [string, string][]): [string, string][] {
  const sorted = attributes.slice()
  if (sorted.length > 8) return sorted.sort((a, b) => compare(a[0], b[0]))
  for (let i = 1; i < sorted.length; i++) {
    const item = sorted[i] as [string, string]
    let j = i - 1
    while (j >= 0 && (sorted[j] as [string, string])[0] > item[0]) {
      sorted[j + 1] = sorted[j] as [string, string]
      j--
    }
    sorted[j + 1] = item
  }
  return sorted
}

/** Attributes, some prefixed, by namespace URI (none first), then local name (c14n §2.2). */
function sortedAttributes(
  attributes: [string, string][],
  scope: ReadonlyMap<string, string>,
): { name: string; value: string }[] {
  return attributes
    .map(([name, value]) => {
      const prefix = attributePrefix(name)
      const uri = prefix === undefined ? '' : namespaceOf(prefix, scope)
      return {
        name,
        value,
        uri,
        local: prefix === undefined ? name : name.slice(prefix.length + 1),
      }
    })
    .sort((a, b) => compare(a.uri, b.uri) || compare(a.local, b.local))
}

/**
 * Sorts a few prefixes (an element uses one to three) in place, in the order sort() gives
 * strings (by UTF-16 code units), without its conversions.
 */
function sortFew(items: string[]): void {
  for (let i = 1; i < items.length; i++) {
    const item = items[i] as string
    let j = i - 1
    while (j >= 0 && (items[j] as string) > item) {
      items[j + 1] = items[j] as string
      j--
    }
    items[j + 1] = item
  }
}

function prefixOf(name: string): string {
  const colon = name.indexOf(':')
  if (colon <= 0) throw new TypeError(`canonical-xml: element ${name} has no prefix`)
  return name.slice(0, colon)
}

function attributePrefix(name: string): string | undefined {
  const colon = name.indexOf(':')
  return colon > 0 ? name.slice(0, colon) : undefined
}

function namespaceOf(prefix: string, scope: ReadonlyMap<string, string>): string {
  const uri = scope.get(prefix)
  if (uri === undefined) throw new TypeError(`canonical-xml: prefix ${prefix} is not declared`)
  return uri
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

// xml-exc-c14n inherits the escaping of c14n 1.0 §2.3. Text is written the same way in the
// document, so that it reads back exactly (a raw CR would become LF).
const textSpecials = /[&<>\r]/g
const textEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\r': '&#xD;',
}

function escapeText(text: string): string {
  return needsEscape(text, textSpecials)
    ? text.replace(textSpecials, (special) => textEntities[special] ?? special)
    : text
}

// In the document `>` is escaped too (as xmlbuilder2 did); tab, LF and CR as character
// references, because an XML parser turns raw ones into spaces (XML 1.0 §3.3.3).
const attributeSpecials = /[&<>"\t\n\r]/g
const canonicalAttributeSpecials = /[&<"\t\n\r]/g
const attributeEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
}

function escapeAttribute(value: string): string {
  return needsEscape(value, attributeSpecials)
    ? value.replace(attributeSpecials, (special) => attributeEntities[special] ?? special)
    : value
}

function escapeCanonicalAttribute(value: string): string {
  return needsEscape(value, canonicalAttributeSpecials)
    ? value.replace(canonicalAttributeSpecials, (special) => attributeEntities[special] ?? special)
    : value
}

/** Most values have nothing to escape: a search is cheaper than a replace that changes nothing. */
function needsEscape(value: string, specials: RegExp): boolean {
  specials.lastIndex = 0
  return specials.test(value)
}
