import type { Element } from '@xmldom/xmldom'
import { C14nCanonicalization, ExclusiveCanonicalization } from 'xml-crypto'
import { childElements, cloneElement, ns } from '../xml/index.ts'
import { transforms } from './algorithm-ids.ts'
import { ancestorNamespaces } from './ancestor-namespaces.ts'

type NamespaceList = Array<{ prefix: string; namespaceURI: string }>

/** What xml-crypto passes its canonicalizers besides the node (SignedXml.defaultNsForPrefix). */
const defaultNsForPrefix = { ds: ns.ds }

const canonicalizers = {
  [transforms.excC14n]: new ExclusiveCanonicalization(),
  [transforms.c14n]: new C14nCanonicalization(),
} as Record<string, ExclusiveCanonicalization | C14nCanonicalization>

/**
 * The octets SignedInfo's signature covers: xml-crypto's own canonicalizer over the node in the
 * caller's tree, as SignedXml.getCanonXml renders it — but without its deep clone of the node.
 */
export function canonicalSignedInfo(signedInfo: Element, canonicalization: string): string {
  return canonicalize(signedInfo, canonicalization, [])
}

/**
 * The octets the Reference digests when its transforms take the saml-core 5.4.4 shape:
 * optionally enveloped-signature, then one c14n (xml-crypto appends c14n 1.0 when the list is
 * empty or ends with enveloped-signature). The element is rendered in place with its own
 * ds:Signature taken out for the moment, which is what xml-crypto's enveloped transform leaves
 * of its clone. Returns undefined for any other transform list: the caller then lets xml-crypto
 * do it (transforms whose octets it must re-parse).
 */
export function canonicalReference(
  element: Element,
  signature: Element,
  reference: { transforms: readonly string[]; inclusiveNamespaces: readonly string[] },
): string | undefined {
  const list = [...reference.transforms]
  if (list.length === 0 || list.at(-1) === transforms.envelopedSignature) list.push(transforms.c14n)
  const enveloped = list.length === 2 && list[0] === transforms.envelopedSignature
  const canonicalization = list.at(-1) as string
  if (list.length > (enveloped ? 2 : 1) || !(canonicalization in canonicalizers)) return undefined
  if (!enveloped) {
    return canonicalize(element, canonicalization, reference.inclusiveNamespaces)
  }
  const next = signature.nextSibling
  element.removeChild(signature)
  try {
    return canonicalize(element, canonicalization, reference.inclusiveNamespaces)
  } finally {
    element.insertBefore(signature, next)
  }
}

/**
 * Runs the canonicalizer on `node` itself. Exclusive c14n declares an InclusiveNamespaces prefix
 * found among the ancestors on the node it renders (a write); only then does it get a clone.
 */
function canonicalize(node: Element, algorithm: string, prefixList: readonly string[]): string {
  const canonicalizer = canonicalizers[algorithm]
  if (canonicalizer === undefined) throw new Error('unsupported canonicalization')
  const ancestors = ancestorNamespaces(node)
  const options = {
    inclusiveNamespacesPrefixList: [...prefixList],
    ancestorNamespaces: ancestors,
    defaultNsForPrefix,
  }
  const writes =
    canonicalizer instanceof ExclusiveCanonicalization &&
    declaresAncestorPrefix(node, prefixList, ancestors)
  const target = writes ? cloneElement(node) : node
  return canonicalizer.process(target, options).toString()
}

/**
 * ExclusiveCanonicalization.process: the options' list, else its CanonicalizationMethod child's;
 * `#default` names the default namespace (prefix '' among the ancestors, xml-exc-c14n §3).
 */
function declaresAncestorPrefix(
  node: Element,
  prefixList: readonly string[],
  ancestors: NamespaceList,
): boolean {
  const list = prefixList.length > 0 ? prefixList : ownPrefixList(node)
  return list.some((prefix) => {
    const declared = prefix === '#default' ? '' : prefix
    return ancestors.some((ancestor) => ancestor.prefix === declared)
  })
}

function ownPrefixList(node: Element): string[] {
  const [method] = childElements(node).filter((el) => el.localName === 'CanonicalizationMethod')
  const [inclusive] = method
    ? childElements(method).filter((el) => el.localName === 'InclusiveNamespaces')
    : []
  return inclusive ? (inclusive.getAttribute('PrefixList') || '').split(' ') : []
}
