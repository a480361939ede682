import { type Node, XMLSerializer } from '@xmldom/xmldom'

/** Serializes a node parsed by `parseXml` (or built with xmldom) back to XML text. */
export function serializeXml(node: Node): string {
  return new XMLSerializer().serializeToString(node)
}
