import type { Document, Element } from '@xmldom/xmldom'
import { create } from 'xmlbuilder2'
import { isoInstant } from '../clock/index.ts'
import { type Evidence, SsoError } from '../errors/index.ts'
import { attr, childElements, firstChildElement, ns, textContent } from '../xml/index.ts'
import type { NameIdQualifiers } from './name-id.ts'
import { parseInstant } from './time.ts'

export { type NameIdQualifiers, sameNameId } from './name-id.ts'

/** The single logout protocol's two messages (saml-core §3.7), as both sides write and read them. */
export interface LogoutRequestContent extends NameIdQualifiers {
  id: string
  issueInstant: number
  destination: string
  issuer: string
  nameId: string
  nameIdFormat?: string | undefined
  sessionIndexes: string[]
  /** When the request stops being valid (saml-core §3.7.1). */
  notOnOrAfter?: number | undefined
  /** A logoutReasons URI. */
  reason?: string | undefined
}

export interface LogoutRequest extends NameIdQualifiers {
  element: Element
  id: string
  issueInstant: number
  destination: string | undefined
  issuer: string
  nameId: string
  nameIdFormat: string | undefined
  sessionIndexes: string[]
  notOnOrAfter: number | undefined
  reason: string | undefined
}

export interface LogoutStatus {
  code: string
  subCode?: string | undefined
  message?: string | undefined
}

export interface LogoutResponseContent {
  id: string
  issueInstant: number
  destination: string
  inResponseTo: string
  issuer: string
  status: LogoutStatus
}

export interface LogoutResponse {
  element: Element
  id: string
  issueInstant: number
  destination: string | undefined
  inResponseTo: string | undefined
  issuer: string
  status: LogoutStatus
}

/** An unsigned samlp:LogoutRequest; the binding signs it (query signature or enveloped). */
export function buildLogoutRequest(content: LogoutRequestContent): string {
  const root = create().ele(ns.samlp, 'samlp:LogoutRequest', {
    'xmlns:saml': ns.saml,
    ID: content.id,
    Version: '2.0',
    IssueInstant: isoInstant(content.issueInstant),
    Destination: content.destination,
    ...(content.notOnOrAfter !== undefined
      ? { NotOnOrAfter: isoInstant(content.notOnOrAfter) }
      : {}),
    ...(content.reason !== undefined ? { Reason: content.reason } : {}),
  })
  root.ele(ns.saml, 'saml:Issuer').txt(content.issuer)
  root.ele(ns.saml, 'saml:NameID', nameIdAttributes(content)).txt(content.nameId)
  for (const sessionIndex of content.sessionIndexes) {
    root.ele(ns.samlp, 'samlp:SessionIndex').txt(sessionIndex)
  }
  return root.end({ headless: true })
}

/** The NameID's attributes (saml-core §2.2.2), those given. */
function nameIdAttributes(content: LogoutRequestContent): Record<string, string> {
  const attributes: Record<string, string> = {}
  if (content.nameQualifier !== undefined) attributes.NameQualifier = content.nameQualifier
  if (content.spNameQualifier !== undefined) attributes.SPNameQualifier = content.spNameQualifier
  if (content.nameIdFormat) attributes.Format = content.nameIdFormat
  if (content.spProvidedId !== undefined) attributes.SPProvidedID = content.spProvidedId
  return attributes
}

/** Reads a NameID's qualifiers, those present. */
export function readNameIdQualifiers(nameId: Element): NameIdQualifiers {
  const out: NameIdQualifiers = {}
  const nameQualifier = attr(nameId, 'NameQualifier')
  const spNameQualifier = attr(nameId, 'SPNameQualifier')
  const spProvidedId = attr(nameId, 'SPProvidedID')
  if (nameQualifier !== undefined) out.nameQualifier = nameQualifier
  if (spNameQualifier !== undefined) out.spNameQualifier = spNameQualifier
  if (spProvidedId !== undefined) out.spProvidedId = spProvidedId
  return out
}

/** An unsigned samlp:LogoutResponse (saml-core §3.7.2, a StatusResponseType). */
export function buildLogoutResponse(content: LogoutResponseContent): string {
  const root = create().ele(ns.samlp, 'samlp:LogoutResponse', {
    'xmlns:saml': ns.saml,
    ID: content.id,
    Version: '2.0',
    IssueInstant: isoInstant(content.issueInstant),
    Destination: content.destination,
    InResponseTo: content.inResponseTo,
  })
  root.ele(ns.saml, 'saml:Issuer').txt(content.issuer)
  const status = root.ele(ns.samlp, 'samlp:Status')
  const code = status.ele(ns.samlp, 'samlp:StatusCode', { Value: content.status.code })
  if (content.status.subCode)
    code.ele(ns.samlp, 'samlp:StatusCode', { Value: content.status.subCode })
  if (content.status.message)
    status.ele(ns.samlp, 'samlp:StatusMessage').txt(content.status.message)
  return root.end({ headless: true })
}

/**
 * Reads a samlp:LogoutRequest: Version 2.0, ID, IssueInstant, an Issuer (saml-profiles §4.4.4.1)
 * and a non-empty NameID — BaseID and EncryptedID are not supported here.
 */
export function readLogoutRequest(doc: Document): LogoutRequest {
  const invalid = (check: string, reason: string, evidence: Evidence = {}) =>
    new SsoError('SAML_LOGOUT_REQUEST_INVALID', check, reason, evidence)
  const root = readRoot(doc, 'LogoutRequest', invalid)
  const nameIdEl = firstChildElement(root.element, ns.saml, 'NameID')
  if (!nameIdEl) {
    const other = ['BaseID', 'EncryptedID'].find((name) =>
      firstChildElement(root.element, ns.saml, name),
    )
    throw invalid(
      other ?? 'NameID',
      other ? `a ${other} is not supported; send a plain NameID` : 'the request names no NameID',
    )
  }
  // Exact, as the sessions it ends were keyed (saml-core §2.2.2): never trimmed.
  const nameId = textContent(nameIdEl)
  if (nameId.trim() === '') throw invalid('NameID', 'the NameID is empty')
  const notOnOrAfter = attr(root.element, 'NotOnOrAfter')
  return {
    ...root,
    nameId,
    nameIdFormat: attr(nameIdEl, 'Format'),
    ...readNameIdQualifiers(nameIdEl),
    sessionIndexes: childElements(root.element, ns.samlp, 'SessionIndex').map((el) =>
      textContent(el).trim(),
    ),
    notOnOrAfter:
      notOnOrAfter === undefined ? undefined : parseInstant(notOnOrAfter, 'NotOnOrAfter'),
    reason: attr(root.element, 'Reason'),
  }
}

/** Reads a samlp:LogoutResponse: Version 2.0, ID, IssueInstant, an Issuer and a Status. */
export function readLogoutResponse(doc: Document): LogoutResponse {
  const invalid = (check: string, reason: string, evidence: Evidence = {}) =>
    new SsoError('SAML_LOGOUT_RESPONSE_INVALID', check, reason, evidence)
  const root = readRoot(doc, 'LogoutResponse', invalid)
  const status = firstChildElement(root.element, ns.samlp, 'Status')
  const top = status && firstChildElement(status, ns.samlp, 'StatusCode')
  const code = top && attr(top, 'Value')
  if (!status || !top || !code) throw invalid('Status', 'the response carries no StatusCode')
  const sub = firstChildElement(top, ns.samlp, 'StatusCode')
  const message = firstChildElement(status, ns.samlp, 'StatusMessage')
  return {
    ...root,
    inResponseTo: attr(root.element, 'InResponseTo'),
    status: {
      code,
      subCode: sub ? attr(sub, 'Value') : undefined,
      message: message ? textContent(message).trim().slice(0, 200) : undefined,
    },
  }
}

const entityFormat = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity'

function readRoot(
  doc: Document,
  localName: 'LogoutRequest' | 'LogoutResponse',
  invalid: (check: string, reason: string, evidence?: Evidence) => SsoError,
) {
  const element = doc.documentElement
  if (!element || element.namespaceURI !== ns.samlp || element.localName !== localName) {
    throw invalid(localName, `the root element is not samlp:${localName}`, {
      root: element ? `{${element.namespaceURI ?? ''}}${element.localName}` : null,
    })
  }
  if (attr(element, 'Version') !== '2.0') {
    throw invalid('Version', `the ${localName} Version is not 2.0`, {
      version: attr(element, 'Version') ?? null,
    })
  }
  const id = attr(element, 'ID')
  if (!id) throw invalid('ID', `the ${localName} has no ID`)
  const issueInstant = attr(element, 'IssueInstant')
  if (!issueInstant) throw invalid('IssueInstant', `the ${localName} has no IssueInstant`)
  // saml-profiles §4.4.4.1–2: Issuer is required, with Format omitted or `entity`.
  const issuerEl = firstChildElement(element, ns.saml, 'Issuer')
  const issuer = issuerEl ? textContent(issuerEl).trim() : ''
  if (!issuerEl || issuer === '') throw invalid('Issuer', `the ${localName} names no Issuer`)
  const issuerFormat = attr(issuerEl, 'Format')
  if (issuerFormat !== undefined && issuerFormat !== entityFormat) {
    throw invalid('Issuer', 'the Issuer Format must be omitted or entity', {
      format: issuerFormat.slice(0, 200),
    })
  }
  return {
    element,
    id,
    issueInstant: parseInstant(issueInstant, 'IssueInstant'),
    destination: attr(element, 'Destination'),
    issuer,
  }
}

/** saml-core §3.7.1: a LogoutRequest past its NotOnOrAfter (plus the allowed skew) is refused. */
export function checkLogoutNotExpired(request: LogoutRequest, now: number, skewMs: number): void {
  if (request.notOnOrAfter !== undefined && now >= request.notOnOrAfter + skewMs) {
    throw new SsoError('SAML_LOGOUT_EXPIRED', 'NotOnOrAfter', 'the LogoutRequest has expired', {
      notOnOrAfter: isoInstant(request.notOnOrAfter),
      now: isoInstant(now),
    })
  }
}
