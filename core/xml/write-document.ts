/** An element to write: a prefixed name in its namespace, attributes in order, then children or text. */
export interface XmlNode {
  name: `${string}:${string}`
  namespace: string
  /**
   * Further namespaces declared on this element (prefix → URI), after its own, for descendants
   * and attribute values to use; one already in scope with the same URI is not declared again.
   */
  namespaces?: Record<string, string>
  attributes?: Record<string, string>
  children?: XmlNode[]
  text?: string
}

/**
 * A document as text, byte for byte what xmlbuilder2's `end({ prettyPrint: true })` writes for
 * the same elements (the test checks): the declaration, two spaces of indent per level, a prefix
 * declared where it is first used, `&`, `<`, `>` and `"` escaped in attributes, `&`, `<` and `>`
 * in text, an element with neither children nor text closed as `<x/>`. The metadata both sides
 * publish is built with it, so that their first answer does not wait for xmlbuilder2 to load.
 */
export function writeXmlDocument(root: XmlNode): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>']
  writeElement(root, 0, new Map(), lines)
  return lines.join('\n')
}

/**
 * An element as text with no declaration and no white space between tags, byte for byte what
 * xmlbuilder2's `end({ headless: true })` writes for it (the test checks), otherwise as
 * writeXmlDocument: the protocol messages the SP sends (an AuthnRequest on every sign-in), made
 * in microseconds rather than through xmlbuilder2's DOM.
 */
export function writeXmlElement(root: XmlNode): string {
  return compactElement(root, new Map())
}

function writeElement(
  node: XmlNode,
  depth: number,
  inScope: ReadonlyMap<string, string>,
  lines: string[],
): void {
  const indent = '  '.repeat(depth)
  const { open, scope } = startTag(node, inScope)
  const children = node.children ?? []
  if (children.length > 0) {
    lines.push(`${indent}${open}>`)
    for (const child of children) writeElement(child, depth + 1, scope, lines)
    lines.push(`${indent}</${node.name}>`)
  } else if (node.text) {
    lines.push(`${indent}${open}>${escapeText(node.text)}</${node.name}>`)
  } else {
    lines.push(`${indent}${open}/>`)
  }
}

function compactElement(node: XmlNode, inScope: ReadonlyMap<string, string>): string {
  const { open, scope } = startTag(node, inScope)
  const children = node.children ?? []
  if (children.length > 0) {
    let out = `${open}>`
    for (const child of children) out += compactElement(child, scope)
    return `${out}</${node.name}>`
  }
  if (node.text) return `${open}>${escapeText(node.text)}</${node.name}>`
  return `${open}/>`
}

/** The start tag up to its `>`, and the namespaces in scope inside the element. */
function startTag(
  node: XmlNode,
  inScope: ReadonlyMap<string, string>,
): { open: string; scope: ReadonlyMap<string, string> } {
  let scope = inScope
  let open = `<${node.name}`
  const declare = (prefix: string, uri: string) => {
    if (scope.get(prefix) === uri) return
    open += ` xmlns:${prefix}="${escapeAttribute(uri)}"`
    scope = new Map(scope).set(prefix, uri)
  }
  declare(node.name.slice(0, node.name.indexOf(':')), node.namespace)
  for (const [prefix, uri] of Object.entries(node.namespaces ?? {})) declare(prefix, uri)
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    open += ` ${name}="${escapeAttribute(value)}"`
  }
  return { open, scope }
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;')
}
