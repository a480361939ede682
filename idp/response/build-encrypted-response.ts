import { type EncryptAssertionOptions, encryptAssertion } from '../../core/saml/encryption.ts'
import { firstChildElement, ns, parseXml, serializeXml } from '../../core/xml/index.ts'
import { signElement } from '../../core/xmldsig/index.ts'
import { buildResponse, type ResponseContent, type SigningSettings } from './build-response.ts'

/**
 * buildResponse with the Assertion encrypted to the SP (saml-core §2.3.4): the Assertion is
 * signed first, then replaced by its saml:EncryptedAssertion, and only then is the Response
 * signed, so that the Response signature covers the ciphertext.
 */
export async function buildEncryptedResponse(
  content: ResponseContent,
  signing: SigningSettings,
  encryption: EncryptAssertionOptions,
): Promise<string> {
  const doc = parseXml(buildResponse(content, { ...signing, signResponse: false }))
  const response = doc.documentElement as Element
  const assertion = firstChildElement(response, ns.saml, 'Assertion')
  if (!assertion) throw new TypeError('buildEncryptedResponse: the Response has no Assertion')
  const encrypted = parseXml(await encryptAssertion(serializeXml(assertion), encryption))
  response.replaceChild(doc.importNode(encrypted.documentElement as Element, true), assertion)
  const xml = serializeXml(doc)
  if (!signing.signResponse) return xml
  return signElement(xml, {
    id: content.id,
    privateKeyPem: signing.privateKeyPem,
    certificatePem: signing.certificatePem,
  })
}
