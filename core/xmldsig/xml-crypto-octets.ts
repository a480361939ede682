import type { Element } from '@xmldom/xmldom'
import { SignedXml } from 'xml-crypto'
import { allowedDigestAlgorithms, allowedSignatureAlgorithms, useAlgorithms } from './algorithms.ts'
import { ancestorNamespaces } from './ancestor-namespaces.ts'

/**
 * The octets as xml-crypto's SignedXml renders them: it loads the Signature, then canonicalizes
 * a deep clone of SignedInfo and of the signed element (its enveloped-signature transform removes
 * the loaded Signature from the clone). The reference for canonical-octets.ts, and what the
 * Reference digests when its transforms are not the usual pair (octets it must parse again).
 */
export function xmlCryptoOctets(input: {
  element: Element
  signature: Element
  signedInfo: Element
  canonicalization: string
  allowSha1: boolean
}): { signedInfo: string; reference: string } {
  const signedXml = new SignedXml({ getCertFromKeyInfo: () => null })
  useAlgorithms(
    signedXml,
    allowedSignatureAlgorithms(input.allowSha1),
    allowedDigestAlgorithms(input.allowSha1),
  )
  signedXml.loadSignature(input.signature)
  const signedInfo = signedXml.getCanonXml([input.canonicalization], input.signedInfo, {
    ancestorNamespaces: ancestorNamespaces(input.signedInfo),
  })
  const [reference] = signedXml.getReferences()
  if (reference === undefined) throw new Error('the Signature holds no Reference')
  const octets = signedXml.getCanonXml(reference.transforms, input.element, {
    inclusiveNamespacesPrefixList: reference.inclusiveNamespacesPrefixList,
    ancestorNamespaces: ancestorNamespaces(input.element),
  })
  return { signedInfo, reference: octets }
}
