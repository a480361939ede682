/** An element to write: a prefixed name in its namespace, attributes in order, then children or text. */
export interface XmlNode {
  name: `${string}:${string}`
  namespace: string
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

function writeElement(
  node: XmlNode,
  depth: number,
  inScope: ReadonlyMap<string, string>,
  lines: string[],
): void {
  const indent = '  '.repeat(depth)
  const prefix = node.name.slice(0, node.name.indexOf(':'))
  let scope = inScope
  let open = `${indent}<${node.name}`
  if (inScope.get(prefix) !== node.namespace) {
    open += ` xmlns:${prefix}="${escapeAttribute(node.namespace)}"`
    scope = new Map(inScope).set(prefix, node.namespace)
  }
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    open += ` ${name}="${escapeAttribute(value)}"`
  }
  const children = node.children ?? []
  if (children.length > 0) {
    lines.push(`${open}>`)
    for (const child of children) writeElement(child, depth + 1, scope, lines)
    lines.push(`${indent}</${node.name}>`)
  } else if (node.text) {
    lines.push(`${open}>${escapeText(node.text)}</${node.name}>`)
  } else {
    lines.push(`${open}/>`)
  }
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;')
}
