import { XMLSerializer, type Node as XmldomNode } from '@xmldom/xmldom'

/** Serializes a node parsed by `parseXml` (or built with xmldom) back to XML text. */
export function serializeXml(node: Node): string {
  return new XMLSerializer().serializeToString(node as unknown as XmldomNode)
}
