import { inflateRawSync } from 'node:zlib'
import type { Element } from '@xmldom/xmldom'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { parse as parseHtml } from 'node-html-parser'
import { create } from 'xmlbuilder2'
import { isSsoError } from '../errors/index.ts'
import {
  childElements,
  isElement,
  localNameOf,
  ns,
  ownerDocumentOf,
  parseXml,
  serializeXml,
  textContent,
} from '../xml/index.ts'

/**
 * Decodes the protocol messages of one HTTP exchange for a trace or a diagnostics page:
 * SAML messages (Redirect, POST, SOAP, artifacts) and JWTs, with every secret redacted —
 * signature values, certificates, cipher values, passwords, client secrets, codes and tokens'
 * signatures. What remains says what was sent without handing anyone a usable credential.
 */
export interface DecodedMessage {
  kind: 'saml' | 'jwt' | 'json' | 'form'
  source: string
  summary: string
  text: string
}

export interface Exchange {
  url: string
  requestBody?: string | undefined
  requestContentType?: string | undefined
  location?: string | undefined
  responseBody?: string | undefined
  responseContentType?: string | undefined
}

const maxTextChars = 20_000
const secretParams = new Set([
  'password',
  // The IdP's second-factor one-time code.
  'otp',
  'client_secret',
  'code',
  'code_verifier',
  'refresh_token',
  'access_token',
  'Signature',
  // saml-bindings §3.6.4: an artifact stands for the Response until it is resolved.
  'SAMLart',
])
const samlParams = ['SAMLRequest', 'SAMLResponse'] as const
const tokenParams = new Set([
  'token',
  'id_token',
  'id_token_hint',
  'logout_token',
  'jwt',
  'assertion',
])

export function decodeExchange(exchange: Exchange): DecodedMessage[] {
  const messages: DecodedMessage[] = []
  const url = new URL(exchange.url)
  messages.push(...decodeParams(url.searchParams, 'query', true))
  if (exchange.requestBody) {
    messages.push(...decodeBody(exchange.requestBody, exchange.requestContentType, 'request'))
  }
  if (exchange.location) {
    try {
      const target = new URL(exchange.location, exchange.url)
      messages.push(...decodeParams(target.searchParams, 'redirect', true))
      if (target.hash.length > 1) {
        messages.push(...decodeParams(new URLSearchParams(target.hash.slice(1)), 'fragment', false))
      }
    } catch {
      // a Location that is no URL says nothing more
    }
  }
  if (exchange.responseBody) {
    messages.push(...decodeBody(exchange.responseBody, exchange.responseContentType, 'response'))
  }
  return messages
}

/** The URL with protocol payloads shortened and secrets replaced, fit for a report line. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    const kept = new URLSearchParams()
    for (const [name, value] of parsed.searchParams) {
      if (secretParams.has(name) || tokenParams.has(name)) kept.append(name, '[redacted]')
      else if (value.length > 80) kept.append(name, `[${value.length} chars]`)
      else kept.append(name, value)
    }
    const query = kept.toString()
    return `${parsed.origin}${parsed.pathname}${query ? `?${query.replace(/%5B|%5D/g, (m) => (m === '%5B' ? '[' : ']'))}` : ''}`
  } catch {
    return '[not a URL]'
  }
}

function decodeBody(
  body: string,
  contentType: string | undefined,
  side: 'request' | 'response',
): DecodedMessage[] {
  const type = (contentType ?? '').toLowerCase()
  if (type.includes('application/x-www-form-urlencoded')) {
    return decodeParams(new URLSearchParams(body), `${side} form`, false, true)
  }
  if (type.includes('xml')) return [decodeSamlXml(body, `${side} body`)]
  if (type.includes('json')) return [decodeJson(body, `${side} body`)]
  if (type.includes('html')) return decodeHtmlForms(body)
  return []
}

function decodeParams(
  params: URLSearchParams,
  where: string,
  deflated: boolean,
  listForm = false,
): DecodedMessage[] {
  const messages: DecodedMessage[] = []
  for (const param of samlParams) {
    const value = params.get(param)
    if (value) messages.push(decodeSamlParam(value, `${param} (${where})`, deflated))
  }
  const artifact = params.get('SAMLart')
  if (artifact) messages.push(describeArtifact(artifact, `SAMLart (${where})`))
  for (const name of tokenParams) {
    const value = params.get(name)
    if (value) messages.push(decodeToken(value, `${name} (${where})`))
  }
  if (listForm) {
    const fields: string[] = []
    for (const [name, value] of params) {
      if (samlParams.includes(name as (typeof samlParams)[number]) || name === 'SAMLart') continue
      const shown =
        secretParams.has(name) || tokenParams.has(name) ? '[redacted]' : clip(value, 200)
      fields.push(`${name}=${shown}`)
    }
    if (fields.length > 0) {
      messages.push({
        kind: 'form',
        source: where,
        summary: `fields: ${[...new Set([...params.keys()])].join(', ')}`,
        text: fields.join('\n'),
      })
    }
  }
  return messages
}

/** A self-submitting form in an HTML page (the POST binding) carries the message. */
function decodeHtmlForms(html: string): DecodedMessage[] {
  if (!/SAMLResponse|SAMLRequest|SAMLart/.test(html)) return []
  const document = parseHtml(html)
  const params = new URLSearchParams()
  for (const input of document.querySelectorAll('form input')) {
    const name = input.getAttribute('name')
    if (name) params.append(name, input.getAttribute('value') ?? '')
  }
  return decodeParams(params, 'auto-submitted form', false)
}

function decodeSamlParam(value: string, source: string, deflated: boolean): DecodedMessage {
  try {
    const raw = Buffer.from(value.replace(/\s+/g, ''), 'base64')
    const xml = deflated
      ? inflateRawSync(raw, { maxOutputLength: 1024 * 1024 }).toString('utf8')
      : raw.toString('utf8')
    return decodeSamlXml(xml, source)
  } catch {
    return { kind: 'saml', source, summary: 'not decodable (bad base64 or deflate)', text: '' }
  }
}

/** SAML XML → summary and pretty text with signatures, certificates and ciphertexts redacted. */
export function decodeSamlXml(xml: string, source: string): DecodedMessage {
  let root: Element
  try {
    root = parseXml(xml).documentElement
  } catch (error) {
    const code = isSsoError(error) ? error.code : 'XML_MALFORMED'
    return { kind: 'saml', source, summary: `not accepted as XML (${code})`, text: '' }
  }
  const summary = summarizeSaml(root)
  redactElements(root)
  let text: string
  try {
    text = create(serializeXml(root)).end({ prettyPrint: true, headless: true })
  } catch {
    text = serializeXml(root)
  }
  return { kind: 'saml', source, summary, text: clip(text, maxTextChars) }
}

function summarizeSaml(root: Element): string {
  const parts: string[] = [localNameOf(root)]
  const soapBody = root.namespaceURI?.includes('soap') ? findFirst(root, 'Body') : undefined
  const message = soapBody ? (childElements(soapBody)[0] ?? root) : root
  if (message !== root) parts.push(`→ ${localNameOf(message)}`)
  const status = findFirst(message, 'StatusCode')?.getAttribute('Value')
  if (status) parts.push(status.split(':').pop() ?? status)
  const issuer = findFirst(message, 'Issuer')
  if (issuer) parts.push(`Issuer ${textContent(issuer)}`)
  const inResponseTo = message.getAttribute('InResponseTo')
  if (inResponseTo) parts.push(`InResponseTo ${inResponseTo}`)
  const signed = allElements(message)
    .filter((element) => element.localName === 'Signature' && element.namespaceURI === ns.ds)
    .map(({ parentNode }) => (isElement(parentNode) ? parentNode.localName : '?'))
  parts.push(signed.length > 0 ? `signed: ${signed.join(', ')}` : 'unsigned')
  if (findFirst(message, 'EncryptedAssertion')) parts.push('encrypted assertion')
  const nameId = findFirst(message, 'NameID')
  if (nameId) parts.push(`NameID ${clip(textContent(nameId), 80)}`)
  return parts.join(' · ')
}

function redactElements(root: Element): void {
  for (const element of allElements(root)) {
    if (
      ['SignatureValue', 'X509Certificate', 'CipherValue', 'DigestValue'].includes(
        localNameOf(element),
      )
    ) {
      const length = textContent(element).trim().length
      while (element.firstChild) element.removeChild(element.firstChild)
      element.appendChild(ownerDocumentOf(element).createTextNode(`[redacted ${length} chars]`))
    }
  }
}

function describeArtifact(value: string, source: string): DecodedMessage {
  const bytes = Buffer.from(value, 'base64')
  if (bytes.length !== 44) {
    return {
      kind: 'saml',
      source,
      summary: `artifact of ${bytes.length} bytes (expected 44)`,
      text: '',
    }
  }
  const typeCode = bytes.readUInt16BE(0).toString(16).padStart(4, '0')
  const index = bytes.readUInt16BE(2)
  const sourceId = bytes.subarray(4, 24).toString('hex')
  return {
    kind: 'saml',
    source,
    summary: `artifact type 0x${typeCode}, endpoint index ${index}, SourceID ${sourceId}`,
    text: `TypeCode 0x${typeCode}\nEndpointIndex ${index}\nSourceID ${sourceId}\nMessageHandle [redacted]`,
  }
}

function decodeToken(value: string, source: string): DecodedMessage {
  try {
    const header = decodeProtectedHeader(value)
    const claims = decodeJwt(value)
    const summary = [
      `JWT ${String(header.alg)}`,
      header.kid ? `kid ${String(header.kid)}` : '',
      claims.iss ? `iss ${claims.iss}` : '',
      claims.sub ? `sub ${claims.sub}` : '',
    ]
      .filter(Boolean)
      .join(' · ')
    const text = `${JSON.stringify(header, null, 2)}\n.\n${JSON.stringify(claims, null, 2)}\n.\n[signature redacted]`
    return { kind: 'jwt', source, summary, text: clip(text, maxTextChars) }
  } catch {
    return { kind: 'jwt', source, summary: 'not a decodable JWT', text: '' }
  }
}

function decodeJson(body: string, source: string): DecodedMessage {
  try {
    const value = redactJson(JSON.parse(body))
    const keys = value && typeof value === 'object' ? Object.keys(value).join(', ') : typeof value
    return {
      kind: 'json',
      source,
      summary: `JSON: ${keys}`,
      text: clip(JSON.stringify(value, null, 2), maxTextChars),
    }
  } catch {
    return { kind: 'json', source, summary: 'not valid JSON', text: '' }
  }
}

function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(value)) {
      out[key] =
        secretParams.has(key) || tokenParams.has(key) || key === 'd' || key === 'k'
          ? '[redacted]'
          : redactJson(inner)
    }
    return out
  }
  return value
}

function allElements(root: Element): Element[] {
  const out: Element[] = [root]
  for (const child of childElements(root)) out.push(...allElements(child))
  return out
}

function findFirst(root: Element, localName: string): Element | undefined {
  return allElements(root).find((element) => element.localName === localName)
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… [${text.length - max} more chars]` : text
}
