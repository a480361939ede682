import { hash, type KeyObject, sign } from 'node:crypto'
import { ns } from '../../core/xml/index.ts'
import { digestAlgorithms, signatureAlgorithms, transforms } from '../../core/xmldsig/index.ts'
import {
  canonicalizeElement,
  element,
  type KeptCanonicals,
  scopeOf,
  type XmlElement,
} from './canonical-xml.ts'

/** What the IdP signs its Responses with: the key, parsed once, and the certificates it publishes. */
export interface ResponseSigner {
  privateKey: KeyObject
  /** Base64 DER of each certificate for ds:KeyInfo/ds:X509Data. */
  certificates: readonly string[]
}

/**
 * Signs `target` (an element built by the IdP, carrying `ID`) with an enveloped signature
 * (saml-core 5.4), the same one core/xmldsig's signElement writes through xml-crypto: exclusive
 * c14n, transforms enveloped-signature then exc-c14n, one Reference to `#ID`, RSA-SHA256 over
 * SHA-256, the certificate in KeyInfo, `ds:` prefix; `inclusivePrefixes` go into the exc-c14n
 * transform's InclusiveNamespaces PrefixList, so the signature covers their bindings too. The schemas place ds:Signature right after
 * saml:Issuer. The element is already a tree, so its canonical form is written directly instead
 * of being parsed and searched by XPath. `inScope`: the namespaces its ancestors declare. Sign
 * inner elements first: a signature covers what is inside the element when it is signed.
 */
export function signEnveloped(
  target: XmlElement,
  signer: ResponseSigner,
  inScope: ReadonlyMap<string, string> = new Map(),
  inclusivePrefixes: readonly string[] = [],
  /** Canonical forms shared by the signatures of one message (canonical-xml.ts). */
  kept?: KeptCanonicals,
): void {
  const id = target.attributes.find(([name]) => name === 'ID')?.[1]
  if (id === undefined) throw new TypeError('signEnveloped: the element has no ID')
  const issuerAt = target.children.findIndex(
    (child) => typeof child !== 'string' && child.name === 'saml:Issuer',
  )
  // One-shot: the same SHA-256, without a Hash object per signature.
  const digest = hash(
    'sha256',
    canonicalizeElement(target, inScope, inclusivePrefixes, kept),
    'base64',
  )
  const signedInfo = element('ds:SignedInfo', {}, [
    element('ds:CanonicalizationMethod', { Algorithm: transforms.excC14n }),
    element('ds:SignatureMethod', { Algorithm: signatureAlgorithms['rsa-sha256'] }),
    element('ds:Reference', { URI: `#${id}` }, [
      element('ds:Transforms', {}, [
        element('ds:Transform', { Algorithm: transforms.envelopedSignature }),
        element(
          'ds:Transform',
          { Algorithm: transforms.excC14n },
          inclusivePrefixes.length === 0
            ? []
            : [
                element('ec:InclusiveNamespaces', { PrefixList: inclusivePrefixes.join(' ') }, [], {
                  ec: ns.ec,
                }),
              ],
        ),
      ]),
      element('ds:DigestMethod', { Algorithm: digestAlgorithms.sha256 }),
      element('ds:DigestValue', {}, [digest]),
    ]),
  ])
  const signedInfoScope = new Map([...scopeOf(target, inScope), ['ds', ns.ds]])
  const signatureValue = sign(
    'sha256',
    Buffer.from(canonicalizeElement(signedInfo, signedInfoScope), 'utf8'),
    signer.privateKey,
  ).toString('base64')
  const signature = element(
    'ds:Signature',
    {},
    [
      signedInfo,
      element('ds:SignatureValue', {}, [signatureValue]),
      // ds:X509Data needs at least one certificate (xmldsig-core 4.5.4); none: no KeyInfo.
      ...(signer.certificates.length > 0
        ? [
            element('ds:KeyInfo', {}, [
              element(
                'ds:X509Data',
                {},
                signer.certificates.map((certificate) =>
                  element('ds:X509Certificate', {}, [certificate]),
                ),
              ),
            ]),
          ]
        : []),
    ],
    { ds: ns.ds },
  )
  target.children.splice(issuerAt + 1, 0, signature)
}

const certificateBlock = /-----BEGIN CERTIFICATE-----([^-]*)-----END CERTIFICATE-----/g

/**
 * The base64 bodies of the PEM certificates in `pem`, whitespace removed. The last PEM's are
 * kept: an IdP signs every Response with the same one, read once instead of per Response.
 */
export function certificateBodies(pem: string): readonly string[] {
  if (pem !== last.pem) {
    last = {
      pem,
      bodies: [...pem.matchAll(certificateBlock)].map((block) =>
        (block[1] ?? '').replace(/\s+/g, ''),
      ),
    }
  }
  return last.bodies
}

let last: { pem: string | undefined; bodies: readonly string[] } = { pem: undefined, bodies: [] }
