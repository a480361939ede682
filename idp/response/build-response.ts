import { createPrivateKey, type KeyObject } from 'node:crypto'
import { authnClasses } from '../../core/authn-context/classes.ts'
import { isoInstant } from '../../core/clock/index.ts'
import { nameIdFormats, subjectConfirmationBearer } from '../../core/saml/constants.ts'
import { ns } from '../../core/xml/index.ts'
import type { SamlAttribute } from './attribute-profiles.ts'
import { element, keptCanonicals, serializeElement, type XmlElement } from './canonical-xml.ts'
import { certificateBodies, type ResponseSigner, signEnveloped } from './sign-enveloped.ts'

export interface AssertionContent {
  id: string
  nameId: string
  nameIdFormat: keyof typeof nameIdFormats
  /** saml-core §2.2.2, for persistent NameIDs: the IdP's and the SP's entity IDs. */
  nameQualifier?: string | undefined
  spNameQualifier?: string | undefined
  audience: string
  recipient: string
  notBefore: number
  notOnOrAfter: number
  authnInstant: number
  sessionIndex: string
  /** How the user authenticated (saml-core §2.7.2.2); default PasswordProtectedTransport. */
  authnContextClassRef?: string | undefined
  attributes: SamlAttribute[]
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
  /** The same key parsed once (the IdP's credential); absent: `privateKeyPem` is parsed per call. */
  privateKey?: KeyObject
  signResponse: boolean
  signAssertion: boolean
}

/**
 * Builds a samlp:Response (saml-core §3.3.3 / §2) for the Web Browser SSO profile (saml-profiles
 * §4.1.4.2) and signs the Assertion, then the Response, as the SP's registration asks.
 */
export function buildResponse(content: ResponseContent, signing: SigningSettings): string {
  const response = responseElement(content)
  const assertion = response.children.find(isAssertion)
  if (!signing.signResponse && !(assertion && signing.signAssertion)) {
    return serializeElement(response)
  }
  const signer: ResponseSigner = {
    privateKey: signing.privateKey ?? createPrivateKey(signing.privateKeyPem),
    certificates: certificateBodies(signing.certificatePem),
  }
  // The Response's signature covers the signed Assertion: its elements are canonicalized once.
  const kept = keptCanonicals()
  if (assertion && signing.signAssertion) {
    const inScope = new Map(Object.entries(response.namespaces))
    signEnveloped(assertion, signer, inScope, qnamePrefixes, kept)
  }
  if (signing.signResponse)
    signEnveloped(response, signer, new Map(), assertion ? qnamePrefixes : [], kept)
  return serializeElement(response)
}

/**
 * `xs` appears only inside attribute values (`xsi:type="xs:string"`), which exclusive c14n does
 * not count as use: without the PrefixList the signature would leave its binding unsigned, and a
 * verifier that re-reads the assertion in another context could resolve `xs` to anything.
 */
const qnamePrefixes = ['xs']

/** The unsigned samlp:Response as an element tree, its saml:Assertion (if any) the last child. */
export function responseElement(content: ResponseContent): XmlElement {
  const instant = instants()
  const response = element(
    'samlp:Response',
    {
      ID: content.id,
      Version: '2.0',
      IssueInstant: instant(content.issueInstant),
      Destination: content.destination,
      InResponseTo: content.inResponseTo || undefined,
    },
    [element('saml:Issuer', {}, [content.issuer]), statusOf(content.status)],
    { samlp: ns.samlp, saml: ns.saml },
  )
  if (content.assertion) {
    response.children.push(assertionOf(content, content.assertion, instant))
  }
  return response
}

/**
 * isoInstant for the times of one message, each second written once: a Response names about six
 * times and most fall in the same second (issued, not before, authenticated) or are the same one
 * (the two NotOnOrAfter). isoInstant depends only on the second, so the text is the same.
 */
function instants(): (ms: number) => string {
  const written = new Map<number, string>()
  return (ms) => {
    const second = Math.floor(ms / 1000)
    let text = written.get(second)
    if (text === undefined) {
      text = isoInstant(ms)
      written.set(second, text)
    }
    return text
  }
}

function isAssertion(child: XmlElement | string): child is XmlElement {
  return typeof child !== 'string' && child.name === 'saml:Assertion'
}

function statusOf(status: ResponseContent['status']): XmlElement {
  const code = element('samlp:StatusCode', { Value: status.code })
  if (status.subCode) code.children.push(element('samlp:StatusCode', { Value: status.subCode }))
  const children = [code]
  if (status.message) children.push(element('samlp:StatusMessage', {}, [status.message]))
  return element('samlp:Status', {}, children)
}

function assertionOf(
  content: ResponseContent,
  a: AssertionContent,
  instant: (ms: number) => string,
): XmlElement {
  const subject = element('saml:Subject', {}, [
    element(
      'saml:NameID',
      {
        Format: nameIdFormats[a.nameIdFormat],
        NameQualifier: a.nameQualifier,
        SPNameQualifier: a.spNameQualifier,
      },
      [a.nameId],
    ),
    element('saml:SubjectConfirmation', { Method: subjectConfirmationBearer }, [
      element('saml:SubjectConfirmationData', {
        NotOnOrAfter: instant(a.notOnOrAfter),
        Recipient: a.recipient,
        InResponseTo: content.inResponseTo || undefined,
      }),
    ]),
  ])
  const conditions = element(
    'saml:Conditions',
    { NotBefore: instant(a.notBefore), NotOnOrAfter: instant(a.notOnOrAfter) },
    [element('saml:AudienceRestriction', {}, [element('saml:Audience', {}, [a.audience])])],
  )
  const authnStatement = element(
    'saml:AuthnStatement',
    { AuthnInstant: instant(a.authnInstant), SessionIndex: a.sessionIndex },
    [
      element('saml:AuthnContext', {}, [
        element('saml:AuthnContextClassRef', {}, [
          a.authnContextClassRef ?? authnClasses.passwordProtectedTransport,
        ]),
      ]),
    ],
  )
  const children = [
    element('saml:Issuer', {}, [content.issuer]),
    subject,
    conditions,
    authnStatement,
  ]
  if (a.attributes.length > 0) {
    children.push(
      element(
        'saml:AttributeStatement',
        {},
        a.attributes.map((attribute) =>
          element(
            'saml:Attribute',
            {
              Name: attribute.name,
              NameFormat: attribute.nameFormat,
              FriendlyName: attribute.friendlyName,
            },
            attribute.values.map((value) =>
              element('saml:AttributeValue', { 'xsi:type': 'xs:string' }, [value]),
            ),
          ),
        ),
      ),
    )
  }
  return element(
    'saml:Assertion',
    { ID: a.id, Version: '2.0', IssueInstant: instant(content.issueInstant) },
    children,
    { xs: ns.xs, xsi: ns.xsi },
  )
}
