import { xmlLimits } from '../../../core/xml/index.ts'
import type { FaultOf } from '../schema.ts'

/**
 * Catalogue item 16, on the signed message's text, last (the IdP's own parser would refuse it
 * too): a Response 64 KiB beyond the SP's documented size cap (core/xml/limits.ts; the bulk is a
 * comment, so the message stays well-formed), or samlp:Extensions, before the Status, nesting 16
 * levels deeper than the depth cap. The SP must refuse it before parsing (size) or while
 * parsing (depth).
 */
export function oversize(xml: string, fault: FaultOf<'saml-oversized'>): string {
  if (fault.dimension === 'size') {
    const filler = `<!--${'x'.repeat(xmlLimits.maxBytes + 65_536)}-->`
    return xml.replace(/(<\/samlp:Response>\s*)$/, `${filler}$1`)
  }
  const levels = xmlLimits.maxDepth + 16
  const nested = `${'<filler:nested>'.repeat(levels)}${'</filler:nested>'.repeat(levels)}`
  const extensions = `<samlp:Extensions><filler:root xmlns:filler="urn:ssoproof:fault:filler">${nested}</filler:root></samlp:Extensions>`
  return xml.replace('<samlp:Status', `${extensions}<samlp:Status`)
}
