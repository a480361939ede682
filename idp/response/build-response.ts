import { create } from 'xmlbuilder2'
import { isoInstant } from '../../core/clock/index.ts'
import {
  attributeNameFormatBasic,
  authnContextPasswordProtectedTransport,
  nameIdFormats,
  subjectConfirmationBearer,
} from '../../core/saml/constants.ts'
import { ns } from '../../core/xml/index.ts'
import { signElement } from '../../core/xmldsig/index.ts'

export interface AssertionContent {
  id: string
  nameId: string
  nameIdFormat: keyof typeof nameIdFormats
  audience: string
  recipient: string
  notBefore: number
  notOnOrAfter: number
  authnInstant: number
  sessionIndex: string
  attributes: Record<string, string[]>
}

export interface ResponseContent {
  id: string
  issuer: string
  destination: string
  inResponseTo: string | undefined
  issueInstant: number
  status: { code: string; subCode?: string; message?: string }
  assertion?: AssertionContent
}

export interface SigningSettings {
  privateKeyPem: string
  certificatePem: string
  signResponse: boolean
  signAssertion: boolean
}

/**
 * Builds a samlp:Response (saml-core §3.3.3 / §2) for the Web Browser SSO profile (saml-profiles
 * §4.1.4.2) and signs the Assertion, then the Response, as the SP's registration asks.
 */
export function buildResponse(content: ResponseContent, signing: SigningSettings): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(ns.samlp, 'samlp:Response', {
    'xmlns:saml': ns.saml,
    ID: content.id,
    Version: '2.0',
    IssueInstant: isoInstant(content.issueInstant),
    Destination: content.destination,
    ...(content.inResponseTo ? { InResponseTo: content.inResponseTo } : {}),
  })
  root.ele(ns.saml, 'saml:Issuer').txt(content.issuer)
  const status = root.ele(ns.samlp, 'samlp:Status')
  const statusCode = status.ele(ns.samlp, 'samlp:StatusCode', { Value: content.status.code })
  if (content.status.subCode)
    statusCode.ele(ns.samlp, 'samlp:StatusCode', { Value: content.status.subCode })
  if (content.status.message)
    status.ele(ns.samlp, 'samlp:StatusMessage').txt(content.status.message)

  const a = content.assertion
  if (a) {
    const assertion = root.ele(ns.saml, 'saml:Assertion', {
      'xmlns:xs': ns.xs,
      'xmlns:xsi': ns.xsi,
      ID: a.id,
      Version: '2.0',
      IssueInstant: isoInstant(content.issueInstant),
    })
    assertion.ele(ns.saml, 'saml:Issuer').txt(content.issuer)
    const subject = assertion.ele(ns.saml, 'saml:Subject')
    subject.ele(ns.saml, 'saml:NameID', { Format: nameIdFormats[a.nameIdFormat] }).txt(a.nameId)
    subject
      .ele(ns.saml, 'saml:SubjectConfirmation', { Method: subjectConfirmationBearer })
      .ele(ns.saml, 'saml:SubjectConfirmationData', {
        NotOnOrAfter: isoInstant(a.notOnOrAfter),
        Recipient: a.recipient,
        ...(content.inResponseTo ? { InResponseTo: content.inResponseTo } : {}),
      })
    assertion
      .ele(ns.saml, 'saml:Conditions', {
        NotBefore: isoInstant(a.notBefore),
        NotOnOrAfter: isoInstant(a.notOnOrAfter),
      })
      .ele(ns.saml, 'saml:AudienceRestriction')
      .ele(ns.saml, 'saml:Audience')
      .txt(a.audience)
    assertion
      .ele(ns.saml, 'saml:AuthnStatement', {
        AuthnInstant: isoInstant(a.authnInstant),
        SessionIndex: a.sessionIndex,
      })
      .ele(ns.saml, 'saml:AuthnContext')
      .ele(ns.saml, 'saml:AuthnContextClassRef')
      .txt(authnContextPasswordProtectedTransport)
    const names = Object.keys(a.attributes)
    if (names.length > 0) {
      const statement = assertion.ele(ns.saml, 'saml:AttributeStatement')
      for (const name of names) {
        const attribute = statement.ele(ns.saml, 'saml:Attribute', {
          Name: name,
          NameFormat: attributeNameFormatBasic,
        })
        for (const value of a.attributes[name] ?? []) {
          attribute.ele(ns.saml, 'saml:AttributeValue', { 'xsi:type': 'xs:string' }).txt(value)
        }
      }
    }
  }

  let xml = root.end({ headless: true })
  const keys = { privateKeyPem: signing.privateKeyPem, certificatePem: signing.certificatePem }
  if (a && signing.signAssertion) xml = signElement(xml, { id: a.id, ...keys })
  if (signing.signResponse) xml = signElement(xml, { id: content.id, ...keys })
  return xml
}
