/** Caps applied to every XML message before and while it is parsed. */
export interface XmlLimits {
  /** Largest accepted message, in UTF-8 bytes, checked before parsing. */
  maxBytes: number
  /** Deepest accepted element nesting; the root element is depth 1. */
  maxDepth: number
}

/**
 * The documented caps (README "Limits"). 1 MiB holds any real SAML message many times over;
 * SAML messages nest about ten levels deep, so 64 leaves room without inviting stack abuse.
 */
export const xmlLimits: Readonly<XmlLimits> = { maxBytes: 1_048_576, maxDepth: 64 }
