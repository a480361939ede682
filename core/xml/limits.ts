/** Caps applied to every XML message before and while it is parsed. */
export interface XmlLimits {
  /** Largest accepted message, in UTF-8 bytes, checked before parsing. */
  maxBytes: number
  /** Deepest accepted element nesting; the root element is depth 1. */
  maxDepth: number
  /** Most accepted nodes (elements, text, comments, CDATA; not attributes). */
  maxNodes: number
  /** Most accepted attributes in the message, namespace declarations included. */
  maxAttributes: number
  /** Most accepted attributes on one element, namespace declarations included. */
  maxAttributesPerElement: number
  /**
   * Most nodes and attributes together in an element a signature covers, counted before it is
   * canonicalized (core/xmldsig/signed-size.ts).
   */
  maxSignedItems: number
}

/**
 * The documented caps (README "Limits"). 1 MiB holds any real SAML message many times over;
 * SAML messages nest about ten levels deep, so 64 leaves room without inviting stack abuse. A
 * Response with a hundred attributes has under a thousand nodes; 20,000 keeps signature
 * checking (canonicalization walks every node) well under a second, where the 250,000 empty
 * elements 1 MiB can hold would take seconds. Attributes are capped apart (count-attributes.ts):
 * a SAML element carries a handful and a message a few hundred, where 1 MiB holds 100,000.
 * What a signature covers is canonicalized and digested, the costliest work on a message, and is
 * capped lower: 10,000 nodes and attributes hold thousands of attribute values.
 */
export const xmlLimits: Readonly<XmlLimits> = {
  maxBytes: 1_048_576,
  maxDepth: 64,
  maxNodes: 20_000,
  maxAttributes: 20_000,
  maxAttributesPerElement: 256,
  maxSignedItems: 10_000,
}
