import type { Element } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { SsoError } from '../errors/index.ts'
import {
  attr,
  childElements,
  findElementsById,
  firstChildElement,
  ns,
  parseXml,
  serializeXml,
  textContent,
  xmlLimits,
} from './index.ts'

function errorOf(fn: () => unknown): SsoError {
  try {
    fn()
  } catch (error) {
    if (error instanceof SsoError) return error
    throw error
  }
  throw new Error('expected an SsoError, but nothing was thrown')
}

/** `text` is refused at parse with `code`, and its evidence has exactly `keys`. */
function expectRefusal(text: string, code: string, keys: string[]): void {
  const error = errorOf(() => parseXml(text))
  expect(error.code, text).toBe(code)
  expect(Object.keys(error.evidence).sort(), text).toEqual(keys)
}

function nested(depth: number): string {
  return `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`
}

const secret = 'TOP-SECRET-NAMEID'

describe('parseXml', () => {
  it('parses one namespaced document', () => {
    const doc = parseXml(`<samlp:Response xmlns:samlp="${ns.samlp}" ID="_1"/>`)
    expect(doc.documentElement?.localName).toBe('Response')
    expect(doc.documentElement?.namespaceURI).toBe(ns.samlp)
  })

  it('accepts the XML declaration and a leading byte-order mark', () => {
    const doc = parseXml('\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<a>x</a>')
    expect(doc.documentElement?.localName).toBe('a')
  })

  it.each([
    ['a DOCTYPE', '<!DOCTYPE a><a/>'],
    ['a lowercase doctype', '<!doctype a><a/>'],
    [
      'billion laughs',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><a>&lol2;</a>',
    ],
    ['an external entity', '<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>'],
    ['a stray ENTITY declaration', '<a><!ENTITY x "y"></a>'],
  ])('refuses %s before parsing', (_name, text) => {
    expect(errorOf(() => parseXml(text)).code).toBe('XML_DOCTYPE_FORBIDDEN')
  })

  it('refuses oversize input before parsing it', () => {
    const text = `<a>${'x'.repeat(xmlLimits.maxBytes)}`
    const error = errorOf(() => parseXml(text))
    expect(error.code).toBe('XML_TOO_LARGE')
    expect(error.evidence).toEqual({ bytes: xmlLimits.maxBytes + 3, maxBytes: xmlLimits.maxBytes })
  })

  it('counts UTF-8 bytes, not characters', () => {
    const text = `<a>${'é'.repeat(20)}</a>`
    expect(text.length).toBeLessThan(40)
    expect(errorOf(() => parseXml(text, { maxBytes: 40 })).code).toBe('XML_TOO_LARGE')
    expect(parseXml(text, { maxBytes: 47 }).documentElement?.localName).toBe('a')
  })

  it('refuses an attribute named like a namespace declaration that is none, anywhere in the tree', () => {
    for (const text of [
      '<a xmlnsX="added"/>',
      '<p:a xmlns:p="urn:p"><p:b xmlns-x="1"/></p:a>',
      '<a><b><c xmlnsxmlns="1"/></b></a>',
    ]) {
      // Where, not what: the name is not repeated back.
      expectRefusal(text, 'XML_RESERVED_ATTRIBUTE_NAME', ['line', 'nameLength'])
    }
    expect(errorOf(() => parseXml('<a>\n<b xmlnsX="1"/></a>')).evidence.line).toBe(2)
    // Declarations, other names starting with "xml", and a prefixed local name are what they were.
    const doc = parseXml(
      '<a xmlns="urn:d" xmlns:p="urn:p" xml:lang="en" XMLNSX="1" xmlnx="2" p:xmlnsX="3"/>',
    )
    expect(doc.documentElement.attributes.length).toBe(6)
  })

  it('refuses a namespace declaration that names no absolute URI, anywhere in the tree', () => {
    for (const text of [
      // A quote would end the value early in xml-crypto 6.3.2's canonical form.
      '<a xmlns:p="urn:p&quot; Late=&quot;1"/>',
      '<a xmlns="urn:d&quot; b=&quot;1"/>',
      '<p:a xmlns:p="urn:p"><b><c xmlns:q="urn:q&lt;x"/></b></p:a>',
      '<a xmlns:p="urn:p x"/>',
      '<a xmlns:p="urn:p&#9;"/>',
      '<a xmlns:p="urn:p&#10;x"/>',
      '<a xmlns:p="urn:{p}"/>',
      '<a xmlns:p="urn:p|q"/>',
      '<a xmlns:p="urn:p\\q"/>',
      '<a xmlns:p="urn:p^q"/>',
      '<a xmlns:p="urn:p`q"/>',
      '<a xmlns:p="urn:p>q"/>',
      '<a xmlns:p="urn:p&#x7f;"/>',
      // Relative names (deprecated, Namespaces in XML §2.2), and a prefix undeclared.
      '<a xmlns="urn:d"><b xmlns="null"/></a>',
      '<a xmlns:p="rel/path"/>',
      '<a xmlns:p="#f"/>',
      '<a xmlns:p=""/>',
      '<a xmlns:p="1urn:p"/>',
    ]) {
      // Where, not what: the value is not repeated back.
      expectRefusal(text, 'XML_NAMESPACE_NAME_INVALID', ['line', 'valueLength'])
    }
    expect(errorOf(() => parseXml('<a>\n\n<b xmlns:p="u p"/></a>')).evidence.line).toBe(3)
    // What URIs and IRIs hold stays accepted, and so does undeclaring the default namespace.
    const doc = parseXml(
      '<a xmlns="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:q="http://example.com/ns?a=1&amp;b=%20#f" xmlns:r="http://例え.jp/名前" xmlns:s="urn:x-y:z~_.!*\'();@+,$=[]"><b xmlns=""/></a>',
    )
    expect(doc.documentElement.attributes.length).toBe(4)
  })

  it('refuses two root elements', () => {
    expect(errorOf(() => parseXml('<a/><b/>')).code).toBe('XML_MULTIPLE_ROOTS')
    expect(errorOf(() => parseXml('<a/><!-- c --><a/>')).code).toBe('XML_MULTIPLE_ROOTS')
  })

  it('caps the nesting depth', () => {
    expect(parseXml(nested(xmlLimits.maxDepth)).documentElement?.localName).toBe('a')
    const error = errorOf(() => parseXml(nested(xmlLimits.maxDepth + 1)))
    expect(error.code).toBe('XML_TOO_DEEP')
    expect(error.evidence.maxDepth).toBe(64)
    expect(errorOf(() => parseXml(nested(4), { maxDepth: 3 })).code).toBe('XML_TOO_DEEP')
  })

  it.each([
    ['empty input', ''],
    ['blank input', '  \n '],
    ['a mismatched end tag', `<a><b>${secret}</a>`],
    ['an unbound prefix', '<p:a/>'],
    ['text after the root', `<a/>${secret}`],
    ['an undefined entity', '<a>&nope;</a>'],
    ['a raw less-than sign', '<a>1 < 2</a>'],
    ['a repeated attribute', '<a x="1" x="2"/>'],
    ['no element at all', '<!-- only a comment -->'],
  ])('refuses %s as malformed, without echoing content', (_name, text) => {
    const error = errorOf(() => parseXml(text))
    expect(error.code).toBe('XML_MALFORMED')
    expect(JSON.stringify(error.evidence)).not.toContain(secret)
    expect(error.reason).not.toContain(secret)
  })

  it('reports the line of a syntax error', () => {
    const error = errorOf(() => parseXml('<a>\n\n<b></a>'))
    expect(error.code).toBe('XML_MALFORMED')
    expect(error.evidence.line).toBe(3)
  })

  it('refuses processing instructions other than the XML declaration', () => {
    const error = errorOf(() => parseXml('<a>victim@corp.com<?x .evil.com?></a>'))
    expect(error.code).toBe('XML_PROCESSING_INSTRUCTION_FORBIDDEN')
    expect(errorOf(() => parseXml('<a/><?x y?>')).code).toBe('XML_PROCESSING_INSTRUCTION_FORBIDDEN')
  })

  it('normalizes XML 1.0 line ends only, keeping U+2028 and U+0085', () => {
    const doc = parseXml('<a>1\r\n2\r3\u20284\u00855</a>')
    expect(textContent(doc)).toBe('1\n2\n3\u20284\u00855')
  })
})

describe('namespace-aware lookups', () => {
  const doc = parseXml(
    [
      `<p:Response xmlns:p="${ns.samlp}" xmlns:a="${ns.saml}">`,
      '<a:Issuer>idp</a:Issuer>',
      `<Assertion xmlns="${ns.saml}" ID="_one"><Issuer>inner</Issuer></Assertion>`,
      '<Assertion xmlns="urn:not-saml" ID="_two"/>',
      `<x:Assertion xmlns:x="${ns.saml}" ID="_three" x:ID="_prefixed"/>`,
      '</p:Response>',
    ].join(''),
  )
  const root = doc.documentElement

  it('matches namespace and local name, whatever the prefix', () => {
    const assertions = childElements(root, ns.saml, 'Assertion')
    expect(assertions.map((el) => attr(el, 'ID'))).toEqual(['_one', '_three'])
    expect(childElements(root)).toHaveLength(4)
    expect(childElements(root, ns.saml)).toHaveLength(3)
    expect(childElements(doc, ns.samlp, 'Response')).toEqual([root])
  })

  it('returns the first match or undefined', () => {
    expect(firstChildElement(root, ns.saml, 'Issuer')?.prefix).toBe('a')
    expect(firstChildElement(root, ns.samlp, 'Issuer')).toBeUndefined()
  })

  it('reads attributes in no namespace only', () => {
    const third = childElements(root, ns.saml, 'Assertion')[1] as Element
    expect(attr(third, 'ID')).toBe('_three')
    expect(attr(third, 'Missing')).toBeUndefined()
    const second = childElements(root, 'urn:not-saml', 'Assertion')[0] as Element
    expect(attr(second, 'ID')).toBe('_two')
  })

  it('finds every holder of an ID, under any ID spelling', () => {
    const decoys = parseXml(
      `<r xmlns:w="urn:w"><a ID="_x"/><b Id="_x"/><c w:Id="_x"/><d id="_x"/><e ID="_y"/></r>`,
    )
    expect(findElementsById(decoys, '_x').map((el) => el.localName)).toEqual(['a', 'b', 'c', 'd'])
    expect(findElementsById(decoys, '_z')).toEqual([])
    expect(findElementsById(doc, '_prefixed').map((el) => attr(el, 'ID'))).toEqual(['_three'])
  })
})

describe('textContent', () => {
  it('returns the whole text around an injected comment (CVE-2017-11427)', () => {
    const doc = parseXml('<NameID>victim@corp.com<!---->.evil.com</NameID>')
    expect(textContent(doc.documentElement)).toBe('victim@corp.com.evil.com')
  })

  it('reads a lone text or CDATA child, and nothing from an empty element', () => {
    const doc = parseXml('<a><b>one &amp; two</b><c><![CDATA[<3>]]></c><d/><e><f>x</f></e></a>')
    const [b, c, d, e] = childElements(doc.documentElement)
    expect([b, c, d, e].map((el) => (el ? textContent(el) : null))).toEqual([
      'one & two',
      '<3>',
      '',
      'x',
    ])
  })

  it('concatenates descendant text and CDATA in document order', () => {
    const doc = parseXml('<a>1<b>2<![CDATA[<3>]]></b><!-- no -->4</a>')
    expect(textContent(doc.documentElement)).toBe('12<3>4')
  })
})

describe('serializeXml', () => {
  it('serializes a parsed document back to equivalent XML', () => {
    const text = `<p:R xmlns:p="${ns.samlp}" ID="_1"><p:S>a &amp; b</p:S></p:R>`
    expect(serializeXml(parseXml(text))).toBe(text)
  })
})
