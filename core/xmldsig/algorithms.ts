import { type BinaryLike, createHash, createSign, createVerify, type KeyLike } from 'node:crypto'
import { type HashAlgorithm, type SignatureAlgorithm, SignedXml } from 'xml-crypto'

import {
  type DigestAlgorithmName,
  digestAlgorithms,
  type SignatureAlgorithmName,
  signatureAlgorithms,
  transforms,
} from './algorithm-ids.ts'

/**
 * saml-core 5.4.3/5.4.4: exclusive c14n (c14n 1.0 tolerated) plus the enveloped-signature
 * transform. The #WithComments variants are refused: comments would then be signed but not read.
 */
export const allowedCanonicalizations: ReadonlySet<string> = new Set([
  transforms.excC14n,
  transforms.c14n,
])
export const allowedTransforms: ReadonlySet<string> = new Set(Object.values(transforms))

export function allowedSignatureAlgorithms(allowSha1: boolean): SignatureAlgorithmName[] {
  return allowSha1
    ? ['rsa-sha256', 'rsa-sha384', 'rsa-sha512', 'rsa-sha1']
    : ['rsa-sha256', 'rsa-sha384', 'rsa-sha512']
}

export function allowedDigestAlgorithms(allowSha1: boolean): DigestAlgorithmName[] {
  return allowSha1 ? ['sha256', 'sha384', 'sha512', 'sha1'] : ['sha256', 'sha384', 'sha512']
}

export function signatureAlgorithmName(uri: string): SignatureAlgorithmName | undefined {
  return nameOf(signatureAlgorithms, uri)
}

export function digestAlgorithmName(uri: string): DigestAlgorithmName | undefined {
  return nameOf(digestAlgorithms, uri)
}

/** The short name of a well-known algorithm URI, for evidence; attacker text is never echoed. */
export function algorithmLabel(uri: string | undefined): string {
  if (uri === undefined) return 'absent'
  return labels.get(uri) ?? 'unrecognised'
}

/** The smallest RSA modulus accepted outside legacy mode (catalogue item 13). */
export const minimumRsaBits = 2048

/**
 * Leaves `signedXml` able to use only these algorithms and the allowed transforms. xml-crypto 6.3
 * ships no SHA-384 variants, so those are registered as thin adapters over node:crypto.
 */
export function useAlgorithms(
  signedXml: SignedXml,
  signature: readonly SignatureAlgorithmName[],
  digest: readonly DigestAlgorithmName[],
): void {
  const builtIn = new SignedXml()
  signedXml.SignatureAlgorithms = Object.fromEntries(
    signature.map((name) => {
      const uri = signatureAlgorithms[name]
      return [uri, name === 'rsa-sha384' ? RsaSha384 : registered(builtIn.SignatureAlgorithms, uri)]
    }),
  )
  signedXml.HashAlgorithms = Object.fromEntries(
    digest.map((name) => {
      const uri = digestAlgorithms[name]
      return [uri, name === 'sha384' ? Sha384 : registered(builtIn.HashAlgorithms, uri)]
    }),
  )
  signedXml.CanonicalizationAlgorithms = Object.fromEntries(
    [...allowedTransforms].map((uri) => [uri, registered(builtIn.CanonicalizationAlgorithms, uri)]),
  )
}

// Synchronous methods: xml-crypto 6.4 deprecates the callback form (createOptionalCallbackFunction).
class RsaSha384 implements SignatureAlgorithm {
  getSignature(signedInfo: BinaryLike, privateKey: KeyLike): string {
    return createSign('RSA-SHA384').update(signedInfo).sign(privateKey, 'base64')
  }
  verifySignature(material: string, key: KeyLike, signatureValue: string): boolean {
    return createVerify('RSA-SHA384').update(material).verify(key, signatureValue, 'base64')
  }
  getAlgorithmName = () => signatureAlgorithms['rsa-sha384']
}

class Sha384 implements HashAlgorithm {
  getHash = (xml: string) => createHash('sha384').update(xml, 'utf8').digest('base64')
  getAlgorithmName = () => digestAlgorithms.sha384
}

function registered<T>(registry: Record<string, T>, uri: string): T {
  const entry = registry[uri]
  if (entry === undefined) throw new Error(`xml-crypto does not provide ${uri}`)
  return entry
}

function nameOf<K extends string>(table: Record<K, string>, uri: string): K | undefined {
  return (Object.keys(table) as K[]).find((name) => table[name] === uri)
}

const labels = new Map<string, string>([
  ...Object.entries(signatureAlgorithms).map(([name, uri]): [string, string] => [uri, name]),
  ...Object.entries(digestAlgorithms).map(([name, uri]): [string, string] => [uri, name]),
  [transforms.envelopedSignature, 'enveloped-signature'],
  [transforms.excC14n, 'exc-c14n'],
  [transforms.c14n, 'c14n'],
  ['http://www.w3.org/2001/10/xml-exc-c14n#WithComments', 'exc-c14n-with-comments'],
  ['http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments', 'c14n-with-comments'],
  ['http://www.w3.org/2006/12/xml-c14n11', 'c14n11'],
  ['http://www.w3.org/2006/12/xml-c14n11#WithComments', 'c14n11-with-comments'],
  ['http://www.w3.org/TR/1999/REC-xslt-19991116', 'xslt'],
  ['http://www.w3.org/TR/1999/REC-xpath-19991116', 'xpath'],
  ['http://www.w3.org/2002/06/xmldsig-filter2', 'xpath-filter2'],
  ['http://www.w3.org/2000/09/xmldsig#base64', 'base64'],
  ['http://www.w3.org/2000/09/xmldsig#hmac-sha1', 'hmac-sha1'],
  ['http://www.w3.org/2001/04/xmldsig-more#hmac-sha256', 'hmac-sha256'],
  ['http://www.w3.org/2001/04/xmldsig-more#hmac-sha512', 'hmac-sha512'],
  ['http://www.w3.org/2000/09/xmldsig#dsa-sha1', 'dsa-sha1'],
  ['http://www.w3.org/2009/xmldsig11#dsa-sha256', 'dsa-sha256'],
  ['http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1', 'ecdsa-sha1'],
  ['http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256', 'ecdsa-sha256'],
  ['http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384', 'ecdsa-sha384'],
  ['http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512', 'ecdsa-sha512'],
  ['http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1', 'sha256-rsa-mgf1'],
  ['http://www.w3.org/2001/04/xmldsig-more#rsa-md5', 'rsa-md5'],
  ['http://www.w3.org/2001/04/xmldsig-more#md5', 'md5'],
  ['http://www.w3.org/2001/04/xmldsig-more#sha224', 'sha224'],
])
