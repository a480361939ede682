/** Caps applied to every XML message before and while it is parsed. */
export interface XmlLimits {
  /** Largest accepted message, in UTF-8 bytes, checked before parsing. */
  maxBytes: number
  /** Deepest accepted element nesting; the root element is depth 1. */
  maxDepth: number
  /** Most accepted nodes (elements, text, comments, CDATA; not attributes). */
  maxNodes: number
}

/**
 * The documented caps (README "Limits"). 1 MiB holds any real SAML message many times over;
 * SAML messages nest about ten levels deep, so 64 leaves room without inviting stack abuse. A
 * Response with a hundred attributes has under a thousand nodes; 20,000 keeps signature
 * checking (canonicalization walks every node) well under a second, where the 250,000 empty
 * elements 1 MiB can hold would take seconds.
 */
export const xmlLimits: Readonly<XmlLimits> = {
  maxBytes: 1_048_576,
  maxDepth: 64,
  maxNodes: 20_000,
}
