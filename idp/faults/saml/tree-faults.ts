import { isoInstant } from '../../../core/clock/index.ts'
import type { XmlElement } from '../../response/canonical-xml.ts'
import { durationMs, type FaultOf } from '../schema.ts'

/** Where each clock-skew field lives: element name → attributes. */
const timeAttributes = {
  IssueInstant: [
    ['samlp:Response', 'IssueInstant'],
    ['saml:Assertion', 'IssueInstant'],
  ],
  NotBefore: [['saml:Conditions', 'NotBefore']],
  NotOnOrAfter: [['saml:Conditions', 'NotOnOrAfter']],
  SubjectConfirmationData: [
    ['saml:SubjectConfirmationData', 'NotBefore'],
    ['saml:SubjectConfirmationData', 'NotOnOrAfter'],
  ],
} as const

/** Moves the chosen timestamps of the unsigned Response by the skew; the signature covers them. */
export function skewTimes(response: XmlElement, fault: FaultOf<'saml-clock-skew'>): void {
  const by = durationMs(fault.skew)
  for (const field of fault.fields) {
    for (const [name, attribute] of timeAttributes[field]) {
      for (const node of descendants(response, name)) {
        const entry = node.attributes.find(([key]) => key === attribute)
        if (entry) entry[1] = isoInstant(Date.parse(entry[1]) + by)
      }
    }
  }
}

/**
 * Rewrites the chosen timestamps before signing as no SAML instant may be (catalogue item 11;
 * saml-core 1.3.3: xs:dateTime in UTC, no time zone but Z): `tomorrow`, the instant without its
 * Z, or the same instant at +01:00.
 */
export function malformTimes(response: XmlElement, fault: FaultOf<'saml-malformed-time'>): void {
  for (const field of fault.fields) {
    for (const [name, attribute] of timeAttributes[field]) {
      for (const node of descendants(response, name)) {
        const entry = node.attributes.find(([key]) => key === attribute)
        if (entry) entry[1] = malformed(entry[1], fault.form)
      }
    }
  }
}

function malformed(instant: string, form: FaultOf<'saml-malformed-time'>['form']): string {
  if (form === 'words') return 'tomorrow'
  if (form === 'no-timezone') return instant.replace(/Z$/, '')
  return new Date(Date.parse(instant) + 3_600_000).toISOString().replace(/(\.000)?Z$/, '+01:00')
}

/**
 * Leaves out, before signing, what the Web SSO profile requires (catalogue item 17): the
 * AuthnStatement, the Subject's NameID, or the NameID's text (an empty NameID).
 */
export function omitElement(response: XmlElement, fault: FaultOf<'saml-omit'>): void {
  for (const assertion of descendants(response, 'saml:Assertion')) {
    if (fault.element === 'AuthnStatement') {
      assertion.children = assertion.children.filter(
        (child) => typeof child === 'string' || child.name !== 'saml:AuthnStatement',
      )
      continue
    }
    for (const subject of descendants(assertion, 'saml:Subject')) {
      if (fault.element === 'NameID') {
        subject.children = subject.children.filter(
          (child) => typeof child === 'string' || child.name !== 'saml:NameID',
        )
      } else {
        for (const nameId of descendants(subject, 'saml:NameID')) nameId.children = []
      }
    }
  }
}

/** Appends `suffix` to the NameID before signing: the signed value the injection later splits. */
export function extendNameId(response: XmlElement, suffix: string): void {
  for (const nameId of descendants(response, 'saml:NameID')) nameId.children.push(suffix)
}

/**
 * An unsigned copy of the Assertion, with its own ID and another NameID, beside the signed one
 * (catalogue item 7): the IdP sends two Assertions, the Response signature covering both.
 */
export function addSecondAssertion(response: XmlElement, nameId: string): void {
  const assertion = response.children.find(
    (child): child is XmlElement => typeof child !== 'string' && child.name === 'saml:Assertion',
  )
  if (!assertion) return
  const copy = structuredClone(assertion)
  const id = copy.attributes.find(([key]) => key === 'ID')
  if (id) id[1] = `_second${id[1]}`
  for (const node of descendants(copy, 'saml:NameID')) node.children = [nameId]
  response.children.push(copy)
}

/**
 * Takes InResponseTo off every SubjectConfirmationData before signing, leaving it on the
 * Response (catalogue item 35): the shape of an unsolicited assertion someone wrapped into a
 * Response that names a victim's pending request (saml-profiles §4.1.4.2 wants it on both).
 */
export function dropConfirmationInResponseTo(response: XmlElement): void {
  for (const data of descendants(response, 'saml:SubjectConfirmationData')) {
    data.attributes = data.attributes.filter(([key]) => key !== 'InResponseTo')
  }
}

function* descendants(node: XmlElement, name: string): Generator<XmlElement> {
  if (node.name === name) yield node
  for (const child of node.children) {
    if (typeof child !== 'string') yield* descendants(child, name)
  }
}
