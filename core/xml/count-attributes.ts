import { SsoError } from '../errors/index.ts'

/**
 * Counts elements and attributes (namespace declarations included) in one linear pass over the
 * text, before
 * the parser sees it: xmldom takes time quadratic in the attributes of one element, and
 * canonicalization sorts and scans them, so 100,000 short attributes in 1 MiB would cost seconds
 * where the node cap does not reach. A start tag's `=` outside quotes is its attributes' `Eq`
 * (XML 1.0 §3.1); comments, CDATA sections and processing instructions are skipped. Malformed
 * text is counted as far as it goes and left to the parser. Every start tag is an element node,
 * so more start tags than the node cap is refused here too, without parsing 1 MiB of them (xmldom
 * took about 2 s of CPU to build 200,000 empty elements the node cap then refused).
 */
export function checkAttributeCounts(
  text: string,
  limits: { maxAttributes: number; maxAttributesPerElement: number; maxNodes: number },
): void {
  let total = 0
  let elements = 0
  for (let at = text.indexOf('<'); at !== -1; at = text.indexOf('<', at)) {
    const skipTo = skippedUntil(text, at)
    if (skipTo !== undefined) {
      const end = text.indexOf(skipTo, at + 2)
      if (end === -1) return
      at = end + skipTo.length
      continue
    }
    if (++elements > limits.maxNodes) {
      throw new SsoError(
        'XML_TOO_MANY_NODES',
        'XML',
        `the message has more than ${limits.maxNodes} nodes`,
        {
          maxNodes: limits.maxNodes,
        },
      )
    }
    let count = 0
    let quote = 0
    let index = at + 1
    for (; index < text.length; index++) {
      const code = text.charCodeAt(index)
      if (quote !== 0) {
        if (code === quote) quote = 0
      } else if (code === 0x22 || code === 0x27) quote = code
      else if (code === 0x3d) count++
      else if (code === 0x3e || code === 0x3c) break
    }
    if (count > limits.maxAttributesPerElement) {
      throw new SsoError(
        'XML_TOO_MANY_ATTRIBUTES',
        'XML',
        `an element carries more than ${limits.maxAttributesPerElement} attributes`,
        { maxAttributesPerElement: limits.maxAttributesPerElement },
      )
    }
    total += count
    if (total > limits.maxAttributes) {
      throw new SsoError(
        'XML_TOO_MANY_ATTRIBUTES',
        'XML',
        `the message has more than ${limits.maxAttributes} attributes`,
        { maxAttributes: limits.maxAttributes },
      )
    }
    at = index
  }
}

/** Where a markup that holds no attributes ends; undefined for a start tag. */
function skippedUntil(text: string, at: number): string | undefined {
  if (text.startsWith('<!--', at)) return '-->'
  if (text.startsWith('<![CDATA[', at)) return ']]>'
  if (text.startsWith('<?', at)) return '?>'
  if (text.startsWith('</', at) || text.startsWith('<!', at)) return '>'
  return undefined
}
