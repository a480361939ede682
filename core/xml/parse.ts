import {
  type Attr,
  DOMParser,
  type Document,
  type Element,
  type Node,
  type Text,
} from '@xmldom/xmldom'
import { type Evidence, SsoError } from '../errors/index.ts'
import { checkAttributeCounts } from './count-attributes.ts'
import { unnormalizedBuilder } from './dom-builder.ts'
// Before any parse: xmldom's end-tag pattern compiled once, not at every end tag.
import './grammar-memo.ts'
import { type XmlLimits, xmlLimits } from './limits.ts'

/** A parsed message: parseXml guarantees exactly one root element. */
export type XmlDocument = Document & { readonly documentElement: Element }

const declarationPattern = /<!(?:DOCTYPE|ENTITY)/i
const byteOrderMark = '\uFEFF'

/**
 * Parses a message once, strictly. In order: the size cap, the DOCTYPE/ENTITY ban and the
 * attribute caps (all three before parsing), well-formedness (every xmldom warning and error is fatal), exactly one root element,
 * no DOCTYPE node, no processing instruction but the XML declaration, the depth and node caps.
 * Evidence carries sizes and line numbers only, never content.
 */
export function parseXml(text: string, limits: Partial<XmlLimits> = {}): XmlDocument {
  const caps = { ...xmlLimits, ...limits }
  const { maxBytes, maxDepth, maxNodes } = caps
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > maxBytes) {
    throw new SsoError(
      'XML_TOO_LARGE',
      'XML',
      `the message is ${bytes} bytes; the cap is ${maxBytes}`,
      { bytes, maxBytes },
    )
  }
  if (declarationPattern.test(text)) {
    throw new SsoError(
      'XML_DOCTYPE_FORBIDDEN',
      'XML',
      'the message carries a DOCTYPE or an entity declaration',
    )
  }
  checkAttributeCounts(text, caps)
  const source = text.startsWith(byteOrderMark) ? text.slice(1) : text
  if (source.trim() === '') throw malformed('the message is empty', { bytes })
  try {
    return parseChecked(source, maxDepth, maxNodes, false)
  } catch (error) {
    // Line numbers cost a parse a fifth of its time and only a refusal shows them: the message
    // is parsed again with them, and that parse throws the same refusal with its line.
    if (error instanceof SsoError && 'line' in error.evidence) {
      parseChecked(source, maxDepth, maxNodes, true)
    }
    throw error
  }
}

function parseChecked(
  source: string,
  maxDepth: number,
  maxNodes: number,
  located: boolean,
): XmlDocument {
  const doc = build(source, located)
  checkDocumentChildren(doc)
  if (checkTree(doc, maxDepth, maxNodes) === 'unnormalized') doc.normalize()
  return doc
}

function build(source: string, located: boolean): Document {
  let problem: Evidence | undefined
  let multipleRoots = false
  const parser = new DOMParser({
    locator: located,
    ...(unnormalizedBuilder ? { domHandler: unnormalizedBuilder } : {}),
    // XML 1.0 §2.11 only: xmldom's default also folds U+0085 and U+2028 (XML 1.1), which the
    // signer did not do, so signed text would change under us.
    normalizeLineEndings: (input) => input.replace(/\r\n?/g, '\n'),
    onError(level, message, context) {
      const locator = context?.locator as { lineNumber?: number; columnNumber?: number } | undefined
      problem ??= {
        level,
        line: locator?.lineNumber ?? null,
        column: locator?.columnNumber ?? null,
      }
      multipleRoots ||= message.includes('HierarchyRequestError')
      throw new Error('stop parsing')
    },
  })
  try {
    return parser.parseFromString(source, 'text/xml')
  } catch {
    if (multipleRoots) {
      throw new SsoError(
        'XML_MULTIPLE_ROOTS',
        'XML',
        'the message has more than one root element',
        problem,
      )
    }
    throw malformed('the message is not well-formed XML', problem ?? {})
  }
}

function checkDocumentChildren(doc: Document): asserts doc is XmlDocument {
  if (doc.doctype) {
    throw new SsoError('XML_DOCTYPE_FORBIDDEN', 'XML', 'the message carries a DOCTYPE')
  }
  let roots = 0
  for (let child = doc.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === child.ELEMENT_NODE) roots++
  }
  if (roots > 1) {
    throw new SsoError('XML_MULTIPLE_ROOTS', 'XML', 'the message has more than one root element', {
      roots,
    })
  }
  if (roots === 0 || !doc.documentElement) throw malformed('the message has no root element', {})
}

/**
 * One iterative walk: depth and node caps, no processing instruction but the XML declaration.
 * Says whether the tree holds an empty text node or two adjacent ones (dom-builder.ts).
 */
function checkTree(
  doc: Document,
  maxDepth: number,
  maxNodes: number,
): 'normalized' | 'unnormalized' {
  // Two parallel stacks and sibling links: no object or array per node on a path every message takes.
  const nodes: Node[] = [doc]
  const depths: number[] = [0]
  let count = 0
  let normalized = true
  for (let node = nodes.pop(); node; node = nodes.pop()) {
    const depth = depths.pop() ?? 0
    if (node !== doc && ++count > maxNodes) {
      throw new SsoError(
        'XML_TOO_MANY_NODES',
        'XML',
        `the message has more than ${maxNodes} nodes`,
        {
          maxNodes,
        },
      )
    }
    if (node.nodeType === node.PROCESSING_INSTRUCTION_NODE && !isXmlDeclaration(node)) {
      throw new SsoError(
        'XML_PROCESSING_INSTRUCTION_FORBIDDEN',
        'XML',
        'the message carries a processing instruction',
        { line: lineOf(node) },
      )
    }
    if (node.nodeType === node.ELEMENT_NODE) {
      if (depth > maxDepth) {
        throw new SsoError('XML_TOO_DEEP', 'XML', `elements nest deeper than ${maxDepth} levels`, {
          maxDepth,
          line: lineOf(node),
        })
      }
      checkAttributeNames(node as Element)
    }
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === child.TEXT_NODE) {
        normalized &&=
          (child as Text).data !== '' && child.nextSibling?.nodeType !== child.TEXT_NODE
      }
      nodes.push(child)
      depths.push(depth + 1)
    }
  }
  return normalized ? 'normalized' : 'unnormalized'
}

/**
 * The namespace declarations and the names reserved for them, where a canonical form could
 * differ from the tree it was made of, so that a signature would cover content the tree lacks:
 * - No attribute named like a declaration that is none (`xmlnsX="…"`; `xmlns` and `xmlns:p` are
 *   declarations). XML 1.0 §2.3 reserves such names, and xml-crypto 6.3.2's canonicalizers took
 *   every attribute whose name starts with "xmlns" for a declaration and left it out.
 * - A declaration's value is an absolute URI reference (Namespaces in XML §2.2, RFC 3986; IRI
 *   letters beyond ASCII allowed): a scheme first, and no quote, angle bracket, white space,
 *   control or other character a URI cannot hold. xml-crypto 6.3.2 wrote declarations' values
 *   unescaped, so a quote in one ended it early in the canonical form and what followed read there
 *   as the element's attributes: `xmlns:p="u&quot; NotOnOrAfter=&quot;…"` canonicalized as the
 *   signed `xmlns:p="u" NotOnOrAfter="…"`, with the attribute gone from the tree.
 * xml-crypto 6.4 renders both right; the refusals stay, for any canonicalizer with such a defect.
 */
function checkAttributeNames(element: Element): void {
  const { attributes } = element
  for (let index = 0; index < attributes.length; index++) {
    const attribute = attributes[index] as Attr
    const { name } = attribute
    if (!name.startsWith('xmlns')) continue
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) {
      throw new SsoError(
        'XML_RESERVED_ATTRIBUTE_NAME',
        'XML',
        'an attribute is named like a namespace declaration but is none',
        { line: lineOf(element), nameLength: name.length },
      )
    }
    const { value } = attribute
    if (!isNamespaceName(value, name === 'xmlns')) {
      throw new SsoError(
        'XML_NAMESPACE_NAME_INVALID',
        'XML',
        'a namespace declaration names no absolute URI',
        { line: lineOf(element), valueLength: value.length },
      )
    }
  }
}

/** An absolute URI, or the empty value that undeclares the default namespace (`xmlns=""`). */
function isNamespaceName(value: string, isDefault: boolean): boolean {
  if (value === '') return isDefault
  return absoluteUri.test(value) && !notInUriReference.test(value)
}

/**
 * A namespace name starts with a scheme (RFC 3986 §3.1). Relative names are deprecated
 * (Namespaces in XML §2.2), no SAML or XML Signature message uses one, and the checks compare
 * namespace names as strings, so a relative one names nothing they could trust. Only the default
 * namespace may be undeclared (`xmlns=""`); `xmlns:p=""` is an error in Namespaces in XML 1.0
 * (§5), which xmldom lets through.
 */
const absoluteUri = /^[A-Za-z][A-Za-z0-9+.-]*:/

/** What RFC 3986 leaves out of every URI (§2: the C0 controls, space, DEL, `"<>\^`{|}`). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it refuses
const notInUriReference = /[\u0000-\u0020"<>\\^`{|}\u007f]/

function isXmlDeclaration(node: Node): boolean {
  return (
    node.nodeName === 'xml' &&
    node.parentNode?.nodeType === node.DOCUMENT_NODE &&
    !node.previousSibling
  )
}

function lineOf(node: Node): number | null {
  return node.lineNumber ?? null
}

function malformed(reason: string, evidence: Evidence): SsoError {
  return new SsoError('XML_MALFORMED', 'XML', reason, evidence)
}
