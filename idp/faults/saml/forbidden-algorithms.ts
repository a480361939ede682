import { type BinaryLike, createHmac, createSign, generateKeyPair, type KeyLike } from 'node:crypto'
import { promisify } from 'node:util'
import type { SignatureAlgorithm } from 'xml-crypto'
import type { SignOptions } from '../../../core/xmldsig/index.ts'

/** xmldsig-core 6.4.1 (DSA) and RFC 6931 2.1.1 (HMAC-SHA256): SignatureMethods the SP refuses. */
const dsaSha256Uri = 'http://www.w3.org/2009/xmldsig11#dsa-sha256'
const hmacSha256Uri = 'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256'

// Thin adapters over node:crypto, in xml-crypto's algorithm shape (synchronous methods: xml-crypto
// 6.4 deprecates the callback form), so xml-crypto signs with them; signing only: the fake IdP
// never verifies these.
class DsaSha256 implements SignatureAlgorithm {
  getSignature(signedInfo: BinaryLike, privateKey: KeyLike): string {
    return createSign('sha256').update(signedInfo).sign(privateKey, 'base64')
  }
  verifySignature(): boolean {
    throw new Error('the fake IdP does not verify DSA signatures')
  }
  getAlgorithmName = () => dsaSha256Uri
}

class HmacSha256 implements SignatureAlgorithm {
  getSignature(signedInfo: BinaryLike, key: KeyLike): string {
    return createHmac('sha256', key).update(signedInfo).digest('base64')
  }
  verifySignature(): boolean {
    throw new Error('the fake IdP does not verify HMAC signatures')
  }
  getAlgorithmName = () => hmacSha256Uri
}

const generateDsaKeyPair = promisify(generateKeyPair)
let dsaKeyPem: Promise<string> | undefined

/**
 * How to sign with a SignatureMethod outside the SP's allow-list (catalogue item 13):
 *   dsa-sha256   a real DSA signature, with a DSA key made for it (from the system's randomness)
 *   hmac-sha256  an HMAC keyed with the IdP's own certificate (PEM text), the key an SP confusing
 *                public-key and shared-secret algorithms would verify it with
 * KeyInfo keeps the IdP's certificate.
 */
export async function forbiddenSigning(
  method: 'dsa-sha256' | 'hmac-sha256',
  certificatePem: string,
): Promise<Pick<SignOptions, 'privateKeyPem' | 'forgedSignatureMethod'>> {
  if (method === 'hmac-sha256') {
    return {
      privateKeyPem: certificatePem,
      forgedSignatureMethod: { uri: hmacSha256Uri, algorithm: HmacSha256 },
    }
  }
  // The SP refuses the SignatureMethod before it looks at any key: a small key keeps this quick.
  dsaKeyPem ??= generateDsaKeyPair('dsa', { modulusLength: 1024, divisorLength: 160 }).then(
    ({ privateKey }) => privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
  )
  return {
    privateKeyPem: await dsaKeyPem,
    forgedSignatureMethod: { uri: dsaSha256Uri, algorithm: DsaSha256 },
  }
}
