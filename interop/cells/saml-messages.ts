import { inflateRawSync } from 'node:zlib'
import { parse } from 'node-html-parser'

/** The value of a hidden form field (SAMLResponse, SAMLRequest, SAMLart) on an HTML page. */
export function formField(html: string, name: string): string | undefined {
  const input = parse(html).querySelector(`input[name="${name}"]`)
  return input?.getAttribute('value') ?? undefined
}

/** A SAML message as the HTTP-POST binding carries it: base64 of the XML. */
export function decodePostValue(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8')
}

/** A SAML message from an HTTP-Redirect URL: base64 of the DEFLATEd XML. */
export function decodeRedirectUrl(url: string, param: 'SAMLRequest' | 'SAMLResponse'): string {
  const value = new URL(url).searchParams.get(param)
  if (!value) throw new Error(`no ${param} in ${url.slice(0, 120)}`)
  return inflateRawSync(Buffer.from(value, 'base64')).toString('utf8')
}

/** The first attribute value `name="…"` on the element `element` (by local name) in `xml`. */
export function xmlAttribute(xml: string, element: string, name: string): string | undefined {
  const tag = new RegExp(`<(?:[\\w.-]+:)?${element}\\b[^>]*>`).exec(xml)?.[0]
  return tag ? new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] : undefined
}
