import type { Document, Element } from '@xmldom/xmldom'
import { type SignatureAlgorithm, SignedXml } from 'xml-crypto'
import {
  attr,
  childElements,
  findElementsById,
  firstChildElement,
  ns,
  parseXml,
} from '../xml/index.ts'
import {
  type DigestAlgorithmName,
  digestAlgorithms,
  type SignatureAlgorithmName,
  signatureAlgorithms,
  transforms,
} from './algorithm-ids.ts'
import { useAlgorithms } from './algorithms.ts'

export interface SignOptions {
  /** The `ID` of the element to sign. */
  id: string
  privateKeyPem: string
  certificatePem: string
  /** Default rsa-sha256. rsa-sha1 exists only so the fake IdP can forge weak responses. */
  signatureAlgorithm?: SignatureAlgorithmName
  /** Default sha256. */
  digestAlgorithm?: DigestAlgorithmName
  /** Put the certificate in ds:KeyInfo/ds:X509Data (default true). */
  includeKeyInfo?: boolean
  /** The exc-c14n transform's InclusiveNamespaces PrefixList (xml-exc-c14n §3). */
  inclusiveNamespacesPrefixList?: string[]
  /**
   * Only for the fake IdP's forgeries: a SignatureMethod no verifier here accepts (DSA, HMAC),
   * computed by this xml-crypto algorithm with `privateKeyPem` as its key.
   */
  forgedSignatureMethod?: { uri: string; algorithm: new () => SignatureAlgorithm }
  /** Only for forgeries: a CanonicalizationMethod xml-crypto implements but verifiers refuse. */
  forgedCanonicalization?: string
}

/** xs:ID is an NCName (saml-core 1.3.4); this ASCII subset is also safe in an XPath literal. */
const idPattern = /^[A-Za-z_][A-Za-z0-9._-]*$/

/**
 * Signs the element whose `ID` is `options.id` with an enveloped signature (saml-core 5.4):
 * exclusive c14n, transforms enveloped-signature then exc-c14n, one Reference to `#ID`, `ds:`
 * prefix. The schemas place ds:Signature right after saml:Issuer, so it goes there, or first
 * when the element has no Issuer. Returns the signed XML; sign inner elements first.
 */
export function signElement(xml: string, options: SignOptions): string {
  const { id } = options
  if (!idPattern.test(id)) throw new TypeError('signElement: the id is not an xs:ID (NCName)')
  const target = findTarget(parseXml(xml), id)
  const signatureAlgorithm = options.signatureAlgorithm ?? 'rsa-sha256'
  const digestAlgorithm = options.digestAlgorithm ?? 'sha256'
  const forged = options.forgedSignatureMethod
  const canonicalization = options.forgedCanonicalization ?? transforms.excC14n
  const signedXml = new SignedXml({
    privateKey: options.privateKeyPem,
    publicCert: options.includeKeyInfo === false ? undefined : options.certificatePem,
    signatureAlgorithm: forged?.uri ?? signatureAlgorithms[signatureAlgorithm],
    canonicalizationAlgorithm: canonicalization,
  })
  useAlgorithms(signedXml, [signatureAlgorithm], [digestAlgorithm])
  if (forged) signedXml.SignatureAlgorithms[forged.uri] = forged.algorithm
  if (options.forgedCanonicalization) {
    const builtIn = new SignedXml().CanonicalizationAlgorithms[canonicalization]
    if (!builtIn) throw new TypeError('signElement: xml-crypto has no such canonicalization')
    signedXml.CanonicalizationAlgorithms[canonicalization] = builtIn
  }
  const targetPath = `//*[@ID='${id}']`
  signedXml.addReference({
    xpath: targetPath,
    transforms: [transforms.envelopedSignature, transforms.excC14n],
    digestAlgorithm: digestAlgorithms[digestAlgorithm],
    ...(options.inclusiveNamespacesPrefixList
      ? { inclusiveNamespacesPrefixList: options.inclusiveNamespacesPrefixList }
      : {}),
  })
  const issuerPath = `${targetPath}/*[local-name()='Issuer' and namespace-uri()='${ns.saml}'][1]`
  signedXml.computeSignature(xml, {
    prefix: 'ds',
    location: firstChildElement(target, ns.saml, 'Issuer')
      ? { reference: issuerPath, action: 'after' }
      : { reference: targetPath, action: 'prepend' },
  })
  return signedXml.getSignedXml()
}

function findTarget(doc: Document, id: string): Element {
  const holders = findElementsById(doc, id)
  const [target] = holders
  if (holders.length !== 1 || !target || attr(target, 'ID') !== id) {
    throw new TypeError(`signElement: ${holders.length} elements carry this ID; exactly one must`)
  }
  if (childElements(target, ns.ds, 'Signature').length > 0) {
    throw new TypeError('signElement: the element is already signed')
  }
  return target
}
