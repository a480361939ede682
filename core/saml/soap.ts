import type { Element } from '@xmldom/xmldom'
import { create } from 'xmlbuilder2'
import { SsoError } from '../errors/index.ts'
import {
  childElements,
  firstChildElement,
  localNameOf,
  ns,
  parseXml,
  serializeXml,
  textContent,
} from '../xml/index.ts'

/** SAML SOAP binding (saml-bindings-2.0-os §3.2) over SOAP 1.1 and HTTP. */
export const soapContentType = 'text/xml; charset=utf-8'
/** saml-bindings §3.2.3.3: the SOAPAction a SAML requester sends. */
export const soapAction = 'http://www.oasis-open.org/committees/security'

/** Wraps one SAML message (an XML element, as text) in a SOAP 1.1 Envelope and Body. */
export function soapEnvelope(messageXml: string): string {
  const message = parseXml(messageXml).documentElement
  const envelope = parseXml(
    create()
      .ele(ns.soapenv, 'soapenv:Envelope')
      .ele(ns.soapenv, 'soapenv:Body')
      .up()
      .end({ headless: true }),
  )
  const body = firstChildElement(envelope.documentElement, ns.soapenv, 'Body')
  body?.appendChild(envelope.importNode(message, true))
  return serializeXml(envelope)
}

/** A SOAP 1.1 Fault (§4.4): `Client` when the request was at fault, `Server` otherwise. */
export function soapFault(faultcode: 'Client' | 'Server', faultstring: string): string {
  const fault = create()
    .ele(ns.soapenv, 'soapenv:Envelope')
    .ele(ns.soapenv, 'soapenv:Body')
    .ele(ns.soapenv, 'soapenv:Fault')
  fault.ele('faultcode').txt(`soapenv:${faultcode}`)
  fault.ele('faultstring').txt(faultstring)
  return fault.end({ headless: true })
}

export type SoapBody =
  | { kind: 'message'; element: Element }
  | { kind: 'fault'; faultcode: string; faultstring: string }

/**
 * Reads a SOAP 1.1 message, in order: hardened XML parse (XML_* codes), an Envelope root, no
 * Header entry marked mustUnderstand (nothing here understands one), one Body holding exactly
 * one element. That element is either a Fault or the SAML message (saml-bindings §3.2.2.1).
 */
export function readSoapEnvelope(text: string): SoapBody {
  const root = parseXml(text).documentElement
  if (root.namespaceURI !== ns.soapenv || root.localName !== 'Envelope') {
    throw invalid('the root element is not a SOAP 1.1 Envelope', {
      root: `{${root.namespaceURI ?? ''}}${root.localName}`,
    })
  }
  for (const header of childElements(root, ns.soapenv, 'Header')) {
    for (const entry of childElements(header)) {
      const mustUnderstand = entry.getAttributeNS(ns.soapenv, 'mustUnderstand')
      if (mustUnderstand === '1' || mustUnderstand === 'true') {
        throw invalid('a SOAP header entry is marked mustUnderstand', {
          header: localNameOf(entry),
        })
      }
    }
  }
  const bodies = childElements(root, ns.soapenv, 'Body')
  const [body] = bodies
  if (!body || bodies.length !== 1) {
    throw invalid('the Envelope must hold exactly one Body', { bodies: bodies.length })
  }
  const contents = childElements(body)
  const [element] = contents
  if (!element || contents.length !== 1) {
    throw invalid('the SOAP Body must hold exactly one element', { elements: contents.length })
  }
  if (element.namespaceURI === ns.soapenv && element.localName === 'Fault') {
    return {
      kind: 'fault',
      faultcode: faultPart(element, 'faultcode'),
      faultstring: faultPart(element, 'faultstring'),
    }
  }
  return { kind: 'message', element }
}

// SOAP 1.1 §4.4: faultcode and faultstring are unqualified children of Fault.
function faultPart(fault: Element, name: string): string {
  const part = childElements(fault).find((el) => !el.namespaceURI && el.localName === name)
  return part ? textContent(part).trim().slice(0, 200) : ''
}

function invalid(reason: string, evidence: Record<string, string | number>): SsoError {
  return new SsoError('SOAP_MESSAGE_INVALID', 'SOAP Envelope', reason, evidence)
}
