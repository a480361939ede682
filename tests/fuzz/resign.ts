import { DOMParser, XMLSerializer } from '@xmldom/xmldom'
import type { Credential } from '../../core/keys/index.ts'
import { signElement } from '../../core/xmldsig/index.ts'
import { applyXmlEdits, type XmlEdit } from './xml-edits.ts'

const dsNamespace = 'http://www.w3.org/2000/09/xmldsig#'

/**
 * A valid SAML message changed in its structure and signed again with the IdP's own key (first
 * the Assertion, then the Response), so the fuzz reaches the checks after the signature. When
 * the edits leave nothing signable (an ID gone or doubled), the unsigned edit is returned.
 */
export function resigned(xml: string, edits: readonly XmlEdit[], key: Credential): string {
  const doc = new DOMParser({ onError: () => {} }).parseFromString(xml, 'text/xml')
  for (const signature of Array.from(doc.getElementsByTagNameNS(dsNamespace, 'Signature'))) {
    signature.parentNode?.removeChild(signature)
  }
  const edited = applyXmlEdits(new XMLSerializer().serializeToString(doc), edits)
  const ids = [/<saml:Assertion[^>]* ID="([^"]+)"/, /^(?:<\?xml[^>]*>)?\s*<[^>]* ID="([^"]+)"/]
    .map((pattern) => pattern.exec(edited)?.[1])
    .filter((id): id is string => id !== undefined)
  let signed = edited
  try {
    for (const id of ids) {
      signed = signElement(signed, {
        id,
        privateKeyPem: key.privateKeyPem,
        certificatePem: key.certificatePem,
      })
    }
    return signed
  } catch {
    return edited
  }
}
