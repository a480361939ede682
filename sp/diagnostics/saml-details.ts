import type { Element } from '@xmldom/xmldom'
import { isoInstant } from '../../core/clock/index.ts'
import { nameIdFormats } from '../../core/saml/constants.ts'
import { attr, childElements, firstChildElement, ns, textContent } from '../../core/xml/index.ts'
import { escapeInvisible } from '../accounts/exact-identifier.ts'
import type { ResponseValidationSettings } from '../acs/settings.ts'
import type { DiagnosticCheck } from './attempt.ts'
import { certificateCheck, clockOffsetCheck } from './observations.ts'

/**
 * A Response as the ACS saw it: the message as received, and what its checks decrypted — the
 * Assertion inside an EncryptedAssertion, the NameID inside an EncryptedID — when they got so far.
 */
export interface SamlSeen {
  response: Element
  settings: ResponseValidationSettings
  decryptedAssertion?: Element
  nameId?: { value: string; format: string | undefined }
}

/**
 * What a Response says for each ACS check (validate-response.ts names them), read from the
 * message — from the decrypted Assertion when it was encrypted — for a person to compare with
 * what the SP expected. Only reads: deciding is the ACS's job. Values are clipped; signature
 * values and certificates are never read.
 */
export function samlDetails(seen: SamlSeen, now: number): Record<string, Record<string, string>> {
  const { response, settings } = seen
  const assertion = assertionOf(seen)
  const subject = assertion && firstChildElement(assertion, ns.saml, 'Subject')
  const nameId = subject && firstChildElement(subject, ns.saml, 'NameID')
  const encryptedId = subject && firstChildElement(subject, ns.saml, 'EncryptedID')
  const confirmation = subject && firstChildElement(subject, ns.saml, 'SubjectConfirmation')
  const confirmationData =
    confirmation && firstChildElement(confirmation, ns.saml, 'SubjectConfirmationData')
  const conditions = assertion && firstChildElement(assertion, ns.saml, 'Conditions')
  const audiences = conditions
    ? childElements(conditions, ns.saml, 'AudienceRestriction').flatMap((restriction) =>
        childElements(restriction, ns.saml, 'Audience').map((el) => clip(textContent(el).trim())),
      )
    : []
  const authn = assertion && firstChildElement(assertion, ns.saml, 'AuthnStatement')
  const status = firstChildElement(response, ns.samlp, 'Status')
  const statusCode = status && firstChildElement(status, ns.samlp, 'StatusCode')
  const secondCode = statusCode && firstChildElement(statusCode, ns.samlp, 'StatusCode')
  const encrypted = firstChildElement(response, ns.saml, 'EncryptedAssertion') !== undefined
  const hidden = encrypted ? '(inside the EncryptedAssertion, not decrypted)' : '(absent)'
  const value = (element: Element | undefined, name: string) =>
    element ? (attr(element, name) ?? '(absent)') : hidden
  const text = (element: Element | undefined) =>
    element ? clip(textContent(element).trim()) : hidden
  return {
    Response: {
      ID: attr(response, 'ID') ?? '(absent)',
      IssueInstant: attr(response, 'IssueInstant') ?? '(absent)',
      Version: attr(response, 'Version') ?? '(absent)',
    },
    'Signature (Response)': signatureDetails(response),
    Destination: {
      received: attr(response, 'Destination') ?? '(absent)',
      expected: settings.acsUrl,
    },
    'Issuer (Response)': {
      received: text(firstChildElement(response, ns.saml, 'Issuer')).replace(hidden, '(absent)'),
      expected: settings.idpEntityId,
    },
    Status: {
      StatusCode: statusCode ? (attr(statusCode, 'Value') ?? '(absent)') : '(absent)',
      ...(secondCode ? { 'second-level': attr(secondCode, 'Value') ?? '' } : {}),
    },
    Assertion: {
      form: encrypted
        ? assertion
          ? 'EncryptedAssertion, decrypted'
          : 'EncryptedAssertion'
        : assertion
          ? 'Assertion'
          : '(none)',
      ...(assertion ? { ID: attr(assertion, 'ID') ?? '(absent)' } : {}),
    },
    'Signature (Assertion)': assertion ? signatureDetails(assertion) : { signed: hidden },
    'Issuer (Assertion)': {
      received: text(assertion && firstChildElement(assertion, ns.saml, 'Issuer')),
      expected: settings.idpEntityId,
    },
    Subject: {
      ...(encryptedId
        ? {
            EncryptedID: seen.nameId ? 'decrypted' : 'not decrypted',
            NameID: seen.nameId
              ? clip(escapeInvisible(seen.nameId.value))
              : '(inside the EncryptedID)',
            'NameID Format': seen.nameId
              ? (seen.nameId.format ?? '(absent)')
              : '(inside the EncryptedID)',
          }
        : {
            // Exact, not trimmed: what the SP compares, invisible characters escaped (carol\u3000).
            NameID: nameId ? clip(escapeInvisible(textContent(nameId))) : hidden,
            'NameID Format': value(nameId, 'Format'),
          }),
      Method: value(confirmation, 'Method'),
      Recipient: value(confirmationData, 'Recipient'),
      'expected Recipient': settings.acsUrl,
      NotOnOrAfter: value(confirmationData, 'NotOnOrAfter'),
    },
    Conditions: {
      NotBefore: value(conditions, 'NotBefore'),
      NotOnOrAfter: value(conditions, 'NotOnOrAfter'),
      'SP clock': isoInstant(now),
      'allowed skew': `${settings.clockSkewMs / 1000} s`,
      Audience: assertion ? audiences.join(', ') || '(none)' : hidden,
      'expected Audience': settings.spEntityId,
    },
    AuthnStatement: {
      AuthnInstant: value(authn, 'AuthnInstant'),
      SessionIndex: value(authn, 'SessionIndex'),
      SessionNotOnOrAfter: value(authn, 'SessionNotOnOrAfter'),
    },
    InResponseTo: {
      Response: attr(response, 'InResponseTo') ?? '(absent: unsolicited)',
      SubjectConfirmationData: value(confirmationData, 'InResponseTo'),
    },
  }
}

function signatureDetails(element: Element): Record<string, string> {
  const signature = firstChildElement(element, ns.ds, 'Signature')
  if (!signature) return { signed: 'no' }
  const signedInfo = firstChildElement(signature, ns.ds, 'SignedInfo')
  const method = signedInfo && firstChildElement(signedInfo, ns.ds, 'SignatureMethod')
  const reference = signedInfo && firstChildElement(signedInfo, ns.ds, 'Reference')
  const digest = reference && firstChildElement(reference, ns.ds, 'DigestMethod')
  const c14n = signedInfo && firstChildElement(signedInfo, ns.ds, 'CanonicalizationMethod')
  return {
    signed: 'yes',
    SignatureMethod: (method && attr(method, 'Algorithm')) ?? '(absent)',
    DigestMethod: (digest && attr(digest, 'Algorithm')) ?? '(absent)',
    CanonicalizationMethod: (c14n && attr(c14n, 'Algorithm')) ?? '(absent)',
    'Reference URI': (reference && attr(reference, 'URI')) ?? '(absent)',
  }
}

/**
 * The observations a SAML attempt adds to the ACS's checks: the configured certificates'
 * validity and days to expiry, the IdP's clock offset (IssueInstant against the SP clock), and
 * the NameID format.
 */
export function samlObservations(seen: SamlSeen, now: number): DiagnosticCheck[] {
  const { response, settings } = seen
  const issueInstant = attr(response, 'IssueInstant')
  const assertion = assertionOf(seen)
  const subject = assertion && firstChildElement(assertion, ns.saml, 'Subject')
  const nameId = subject && firstChildElement(subject, ns.saml, 'NameID')
  const read = nameId
    ? { present: true, format: attr(nameId, 'Format') }
    : seen.nameId
      ? { present: true, format: seen.nameId.format }
      : { present: false, format: undefined }
  const format = read.present ? (read.format ?? '(absent: unspecified)') : undefined
  return [
    certificateCheck(settings.idpCertificates, now),
    clockOffsetCheck('IssueInstant', issueInstant, now, settings.clockSkewMs),
    {
      check: 'NameID format',
      enforces: 'diagnostics: the NameID format the IdP chose (the external ID is built from it)',
      source: 'diagnostics',
      outcome: format === undefined ? 'not-checked' : 'pass',
      ...(format === undefined
        ? { notChecked: 'no readable NameID (not decrypted, or the Response was refused before)' }
        : {}),
      warnings: [],
      details:
        format === undefined
          ? {}
          : {
              Format: format,
              'external ID':
                read.format === nameIdFormats.transient
                  ? 'the attribute mapped to id (a transient NameID is new at every sign-in)'
                  : 'the NameID',
            },
    },
  ]
}

/** The Assertion the checks read: the decrypted one, else the Response's plain child. */
function assertionOf(seen: SamlSeen): Element | undefined {
  return seen.decryptedAssertion ?? firstChildElement(seen.response, ns.saml, 'Assertion')
}

function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}
