import type { Element } from '@xmldom/xmldom'
import { SsoError } from '../errors/index.ts'
import { attr, childElements, isElement, localNameOf, ns, textContent } from '../xml/index.ts'

/** What the policy checks need to know about one enveloped signature. */
export interface SignatureParts {
  /** The one ds:SignedInfo, in the caller's tree: the element whose canonical form is signed. */
  signedInfo: Element
  /** The SignatureValue's base64 text, whitespace removed. */
  signatureValue: string
  canonicalizationMethod: string | undefined
  signatureMethod: string | undefined
  digestMethod: string | undefined
  /** The DigestValue's base64 text, whitespace removed. */
  digestValue: string
  transforms: Array<string | undefined>
  /** The last Transform's InclusiveNamespaces PrefixList, read as xml-crypto reads it. */
  inclusiveNamespaces: string[]
  retrievalMethod: boolean
  /** The base64 certificate in KeyInfo, for evidence only: it is never trusted. */
  keyInfoCertificate: string | undefined
}

const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/

/**
 * Reads the signature strictly. Each part is counted by local name in any namespace across the
 * whole ds:Signature, because xml-crypto finds several of them with `.//*[local-name()=…]`: there
 * must be exactly one, in its schema place (xmldsig-core 4), so both readers see the same node.
 * saml-core 5.4.2: one Reference whose URI is `#` + the ID of the signed element.
 */
export function readSignature(signature: Element, id: string): SignatureParts {
  const named = descendantsByName(signature)
  const signedInfo = single(named, signature, 'SignedInfo', 'SAML_SIGNATURE_REFERENCE_INVALID')
  const reference = single(named, signedInfo, 'Reference', 'SAML_SIGNATURE_REFERENCE_INVALID')
  if (attr(reference, 'URI') !== `#${id}`) {
    throw new SsoError(
      'SAML_SIGNATURE_REFERENCE_INVALID',
      'Reference',
      "the Reference URI is not '#' plus the ID of the element that carries the signature",
      { uriPresent: attr(reference, 'URI') !== undefined },
    )
  }
  const canonicalization = single(named, signedInfo, 'CanonicalizationMethod')
  const signatureMethod = single(named, signedInfo, 'SignatureMethod')
  const digestMethod = single(named, reference, 'DigestMethod')
  const digestValue = checkBase64Value(single(named, reference, 'DigestValue'))
  const signatureValue = checkBase64Value(single(named, signature, 'SignatureValue'))
  return {
    signedInfo,
    signatureValue,
    canonicalizationMethod: attr(canonicalization, 'Algorithm'),
    signatureMethod: attr(signatureMethod, 'Algorithm'),
    digestMethod: attr(digestMethod, 'Algorithm'),
    digestValue,
    transforms: readTransforms(named, reference),
    inclusiveNamespaces: readInclusiveNamespaces(reference),
    retrievalMethod: named.has('RetrievalMethod'),
    keyInfoCertificate: readKeyInfoCertificate(signature),
  }
}

function single(
  named: DescendantsByName,
  parent: Element,
  localName: string,
  code: 'SAML_SIGNATURE_REFERENCE_INVALID' | 'SAML_SIGNATURE_INVALID' = 'SAML_SIGNATURE_INVALID',
): Element {
  const found = named.get(localName) ?? []
  const [element] = found
  if (
    found.length !== 1 ||
    !element ||
    element.parentNode !== parent ||
    element.namespaceURI !== ns.ds
  ) {
    throw new SsoError(
      code,
      localName,
      `the signature must hold exactly one ds:${localName}, in its place`,
      { found: found.length },
    )
  }
  return element
}

/** Only text may sit in DigestValue and SignatureValue: no comment or element to split it. */
function checkBase64Value(element: Element): string {
  const check = localNameOf(element)
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType !== child.TEXT_NODE) {
      throw new SsoError('SAML_SIGNATURE_INVALID', check, `the ${check} holds markup or a comment`)
    }
  }
  const value = textContent(element).replace(/\s+/g, '')
  if (value === '' || !base64Pattern.test(value)) {
    throw new SsoError('SAML_SIGNATURE_INVALID', check, `the ${check} is empty or not base64`, {
      length: value.length,
    })
  }
  return value
}

function readTransforms(named: DescendantsByName, reference: Element): Array<string | undefined> {
  const containers = named.get('Transforms') ?? []
  if (containers.length === 0) return []
  const [container] = containers
  if (
    containers.length > 1 ||
    !container ||
    container.parentNode !== reference ||
    container.namespaceURI !== ns.ds
  ) {
    throw new SsoError(
      'SAML_SIGNATURE_TRANSFORM_FORBIDDEN',
      'Transforms',
      'the signature must hold at most one ds:Transforms, in its Reference',
      { found: containers.length },
    )
  }
  const listed = childElements(container)
  const all = named.get('Transform') ?? []
  if (
    listed.length !== all.length ||
    listed.some((t) => t.namespaceURI !== ns.ds || t.localName !== 'Transform')
  ) {
    throw new SsoError(
      'SAML_SIGNATURE_TRANSFORM_FORBIDDEN',
      'Transform',
      'every ds:Transform must sit directly in the Reference Transforms',
      { found: all.length },
    )
  }
  return listed.map((transform) => attr(transform, 'Algorithm'))
}

/** xml-crypto's loadReference: InclusiveNamespaces children of the last Transform, any namespace. */
function readInclusiveNamespaces(reference: Element): string[] {
  const container = childElements(reference).find((el) => el.localName === 'Transforms')
  const last = container ? childElements(container).at(-1) : undefined
  if (!last) return []
  return childElements(last)
    .filter((el) => el.localName === 'InclusiveNamespaces')
    .flatMap((el) => (el.getAttribute('PrefixList') ?? '').split(' '))
    .filter((prefix) => prefix.length > 0)
}

function readKeyInfoCertificate(signature: Element): string | undefined {
  const keyInfo = childElements(signature, ns.ds, 'KeyInfo')[0]
  const certificate = keyInfo
    ? descendantsByName(keyInfo)
        .get('X509Certificate')
        ?.find((el) => el.namespaceURI === ns.ds)
    : undefined
  return certificate ? textContent(certificate).replace(/\s+/g, '') : undefined
}

/** Descendant elements of a signature by local name, any namespace, each list in document order. */
type DescendantsByName = ReadonlyMap<string, readonly Element[]>

/** One walk of `root`'s descendants (the signature's parts are looked up a dozen times). */
function descendantsByName(root: Element): DescendantsByName {
  const named = new Map<string, Element[]>()
  // One stack, filled by sibling links: no list of children per element.
  const stack: Element[] = []
  const pushChildren = (parent: Element) => {
    for (let child = parent.lastChild; child; child = child.previousSibling) {
      if (isElement(child)) stack.push(child)
    }
  }
  pushChildren(root)
  for (let element = stack.pop(); element; element = stack.pop()) {
    const name = element.localName ?? ''
    const list = named.get(name)
    if (list) list.push(element)
    else named.set(name, [element])
    pushChildren(element)
  }
  return named
}
