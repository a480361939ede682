import { DOMParser } from '@xmldom/xmldom'
import { Hono } from 'hono'
import { SignedXml } from 'xml-crypto'

const samlp = 'urn:oasis:names:tc:SAML:2.0:protocol'
const saml = 'urn:oasis:names:tc:SAML:2.0:assertion'
const ds = 'http://www.w3.org/2000/09/xmldsig#'
const success = 'urn:oasis:names:tc:SAML:2.0:status:Success'
const sha1Algorithms = [
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  'http://www.w3.org/2000/09/xmldsig#sha1',
]

/**
 * A deliberately vulnerable SAML SP, for the tests of `ssoproof attack` only. It does most
 * things right — refuses a DOCTYPE, needs Success, exactly one Assertion, a valid xml-crypto
 * signature over it by ID, SHA-256, the right Issuer, Destination and Recipient, no
 * InResponseTo (it never sends requests) — and three things wrong, on purpose:
 *   1. it trusts the certificate in KeyInfo (any key signs for the IdP),
 *   2. it ignores the Audience,
 *   3. it checks no time (NotBefore, NotOnOrAfter).
 * On success it sets `vsp_session` and redirects to /home; on failure it answers 403.
 */
export function createVulnerableSp(options: { acsUrl: string; idpEntityId: string }): Hono {
  const app = new Hono()
  app.post('/acs', async (c) => {
    const form = await c.req.parseBody()
    const encoded = typeof form.SAMLResponse === 'string' ? form.SAMLResponse : ''
    const problem = check(Buffer.from(encoded, 'base64').toString('utf8'), options)
    if (problem) return c.text(`sign-in refused: ${problem}`, 403)
    c.header('Set-Cookie', 'vsp_session=signed-in; Path=/; HttpOnly')
    return c.redirect('/home', 302)
  })
  app.get('/home', (c) => c.text('welcome back'))
  return app
}

function check(xml: string, options: { acsUrl: string; idpEntityId: string }): string | undefined {
  if (xml.includes('<!DOCTYPE')) return 'DOCTYPE'
  let document: Document
  try {
    document = new DOMParser({ onError: () => {} }).parseFromString(
      xml,
      'text/xml',
    ) as unknown as Document
  } catch {
    return 'not XML'
  }
  const response = document.documentElement
  if (!response) return 'not a Response'
  if (response.localName !== 'Response' || response.namespaceURI !== samlp) return 'not a Response'
  if (response.getAttribute('Destination') !== options.acsUrl) return 'Destination'
  if (response.hasAttribute('InResponseTo')) return 'InResponseTo'
  const status = document.getElementsByTagNameNS(samlp, 'StatusCode')[0]
  if (status?.getAttribute('Value') !== success) return 'status'
  const assertions = document.getElementsByTagNameNS(saml, 'Assertion')
  const assertion = assertions[0]
  if (assertions.length !== 1 || !assertion) return 'assertion count'
  const signature = [...Array.from(assertion.childNodes)].find(
    (node) => (node as Element).localName === 'Signature' && (node as Element).namespaceURI === ds,
  )
  if (!signature) return 'unsigned assertion'
  for (const method of Array.from((signature as Element).getElementsByTagNameNS(ds, '*'))) {
    if (sha1Algorithms.includes(method.getAttribute('Algorithm') ?? '')) return 'SHA-1'
  }
  // Flaw 1: no publicCert; xml-crypto takes the key from KeyInfo.
  const verifier = new SignedXml({ getCertFromKeyInfo: SignedXml.getCertFromKeyInfo })
  try {
    verifier.loadSignature(signature)
    if (!verifier.checkSignature(xml)) return 'signature'
  } catch {
    return 'signature'
  }
  const references = verifier.getReferences()
  if (references.length !== 1 || references[0]?.uri !== `#${assertion.getAttribute('ID')}`) {
    return 'reference'
  }
  const issuer = assertion.getElementsByTagNameNS(saml, 'Issuer')[0]?.textContent
  if (issuer !== options.idpEntityId) return 'Issuer'
  const confirmation = assertion.getElementsByTagNameNS(saml, 'SubjectConfirmationData')[0]
  if (confirmation?.getAttribute('Recipient') !== options.acsUrl) return 'Recipient'
  // Flaws 2 and 3: AudienceRestriction, NotBefore and NotOnOrAfter are never read.
  const nameId = assertion.getElementsByTagNameNS(saml, 'NameID')[0]?.textContent
  return nameId ? undefined : 'NameID'
}
