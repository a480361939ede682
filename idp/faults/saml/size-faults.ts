import { xmlLimits } from '../../../core/xml/index.ts'
import { element, type XmlElement } from '../../response/canonical-xml.ts'
import type { FaultOf } from '../schema.ts'

const fillerNamespace = 'urn:ssoproof:fault:filler'

/**
 * Catalogue items 16 and 38, on the signed message's text, last (the IdP's own parser would
 * refuse it too): a Response 64 KiB beyond the SP's documented size cap (core/xml/limits.ts; the
 * bulk is a comment, so the message stays well-formed); samlp:Extensions, before the Status,
 * nesting 16 levels deeper than the depth cap; or 100,000 attributes (about 900 KB) on the
 * Assertion's first AttributeValue. The SP must refuse it before parsing (size, attributes) or
 * while parsing (depth).
 */
export function oversize(xml: string, fault: FaultOf<'saml-oversized'>): string {
  if (fault.dimension === 'size') {
    const filler = `<!--${'x'.repeat(xmlLimits.maxBytes + 65_536)}-->`
    return xml.replace(/(<\/samlp:Response>\s*)$/, `${filler}$1`)
  }
  if (fault.dimension === 'attributes') {
    const attributes = Array.from({ length: 100_000 }, (_, i) => ` a${i}=""`).join('')
    return xml.replace('<saml:AttributeValue', `<saml:AttributeValue${attributes}`)
  }
  if (fault.dimension !== 'depth') return xml
  const levels = xmlLimits.maxDepth + 16
  const nested = `${'<filler:nested>'.repeat(levels)}${'</filler:nested>'.repeat(levels)}`
  const extensions = `<samlp:Extensions><filler:root xmlns:filler="${fillerNamespace}">${nested}</filler:root></samlp:Extensions>`
  return xml.replace('<samlp:Status', `${extensions}<samlp:Status`)
}

/**
 * Catalogue item 38, before signing: the Assertion padded with as many empty elements as the
 * SP canonicalizes in all (xmlLimits.maxSignedItems), under the message's own caps, so the IdP's
 * valid signature covers a part the SP must refuse to canonicalize
 * (SAML_SIGNED_ELEMENT_TOO_LARGE) rather than spend on.
 */
export function padSignedAssertion(response: XmlElement): void {
  const assertion = response.children.find(
    (child): child is XmlElement => typeof child !== 'string' && child.name === 'saml:Assertion',
  )
  if (!assertion) return
  const pads = Array.from({ length: xmlLimits.maxSignedItems }, () => element('filler:pad'))
  assertion.children.push(element('filler:padding', {}, pads, { filler: fillerNamespace }))
}
