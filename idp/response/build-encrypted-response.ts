import { type EncryptAssertionOptions, encryptAssertion } from '../../core/saml/encryption.ts'
import { firstChildElement, ns, parseXml, serializeXml } from '../../core/xml/index.ts'
import { type SignOptions, signElement } from '../../core/xmldsig/index.ts'
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
  return encryptAssertionIn(
    buildResponse(content, { ...signing, signResponse: false }),
    encryption,
    signing.signResponse
      ? {
          id: content.id,
          privateKeyPem: signing.privateKeyPem,
          certificatePem: signing.certificatePem,
        }
      : undefined,
  )
}

/**
 * Replaces the saml:Assertion of an unsigned Response (its Assertion signed or not) by its
 * saml:EncryptedAssertion, then signs the Response when `responseSigning` is given.
 */
export async function encryptAssertionIn(
  xml: string,
  encryption: EncryptAssertionOptions,
  responseSigning: SignOptions | undefined,
): Promise<string> {
  const doc = parseXml(xml)
  const response = doc.documentElement
  const assertion = firstChildElement(response, ns.saml, 'Assertion')
  if (!assertion) throw new TypeError('encryptAssertionIn: the Response has no Assertion')
  const encrypted = parseXml(await encryptAssertion(serializeXml(assertion), encryption))
  response.replaceChild(doc.importNode(encrypted.documentElement, true), assertion)
  const unsigned = serializeXml(doc)
  return responseSigning ? signElement(unsigned, responseSigning) : unsigned
}
