import type { Element } from '@xmldom/xmldom'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ExclusiveCanonicalization } from 'xml-crypto'
import { isElement, parseXml } from '../../core/xml/index.ts'
import { ancestorNamespaces } from '../../core/xmldsig/ancestor-namespaces.ts'
import {
  canonicalizeElement,
  element,
  keptCanonicals,
  serializeElement,
  type XmlElement,
} from './canonical-xml.ts'

// Same-length URIs: xml-crypto orders attributes by namespace URI and local name run together,
// which is c14n's order (URI first) only when no URI is a prefix of another.
const uris = ['urn:ns:one', 'urn:ns:two', 'urn:ns:six'] as const
const prefixes = ['a', 'b', 'c'] as const
const wrapper = 'urn:ns:wrapper'

const text = fc.string({
  unit: fc.constantFrom('x', 'Z', ' ', '&', '<', '>', '"', "'", '\r', '\n', '\t', 'é', '日'),
  maxLength: 6,
})

/** Elements whose prefixes are a, b or c, each redeclared here and there to another URI. */
const tree = fc.letrec<{ node: XmlElement; child: XmlElement | string }>((tie) => ({
  node: fc
    .record({
      prefix: fc.constantFrom(...prefixes),
      local: fc.constantFrom('Assertion', 'e', 'f'),
      namespaces: fc.dictionary(fc.constantFrom(...prefixes, 'd'), fc.constantFrom(...uris), {
        maxKeys: 2,
      }),
      attributes: fc.dictionary(
        fc.constantFrom('ID', 'Version', 'z', 'Alpha', 'a:x', 'b:y', 'c:type'),
        text,
        { maxKeys: 4 },
      ),
      children: fc.array(tie('child'), { maxLength: 3 }),
    })
    .map(({ prefix, local, namespaces, attributes, children }) =>
      element(`${prefix}:${local}`, attributes, children, namespaces),
    ),
  child: fc.oneof({ depthSize: 'small' }, text, tie('node')),
})).node

/** What the ancestors of the apex declare: every prefix, and d that nothing uses visibly. */
const ancestors = fc.record({
  a: fc.constantFrom(...uris),
  b: fc.constantFrom(...uris),
  c: fc.constantFrom(...uris),
  d: fc.constantFrom(...uris),
})

/** xml-crypto's exclusive c14n of the element read back from the document, as a verifier does. */
function byXmlCrypto(
  node: XmlElement,
  inScope: Record<string, string>,
  inclusive: string[],
): string {
  const declarations = Object.entries(inScope)
    .map(([prefix, uri]) => ` xmlns:${prefix}="${uri}"`)
    .join('')
  const document = parseXml(
    `<w:wrap xmlns:w="${wrapper}"${declarations}>${serializeElement(node)}</w:wrap>`,
  )
  const apex = Array.from(document.documentElement?.childNodes ?? []).find(isElement) as Element
  return new ExclusiveCanonicalization().process(apex, {
    inclusiveNamespacesPrefixList: [...inclusive],
    ancestorNamespaces: ancestorNamespaces(apex),
  })
}

describe('canonicalizeElement writes the tree in exclusive c14n, as xml-crypto does', () => {
  it('gives the octets xml-crypto gives for the same element read back from its document', () => {
    fc.assert(
      fc.property(
        tree,
        ancestors,
        fc.subarray(['a', 'b', 'c', 'd']),
        (node, inScope, inclusive) => {
          const ours = canonicalizeElement(node, new Map(Object.entries(inScope)), inclusive)
          expect(ours).toBe(byXmlCrypto(node, inScope, inclusive))
        },
      ),
      { seed: 22, numRuns: 400 },
    )
  })

  it('forgets what a subtree declared once it is written: its sibling sees the outer binding', () => {
    const rebound = element('a:f', {}, [element('b:f', {}, ['x'])], { a: uris[1] })
    const node = element(
      'a:e',
      { 'c:type': 'v', ID: '1' },
      [element('a:f', {}, [rebound, element('a:f', { z: '&' })])],
      { a: uris[0] },
    )
    const inScope = new Map([
      ['b', uris[2]],
      ['c', uris[1]],
      ['d', uris[0]],
    ])
    const ours = canonicalizeElement(node, inScope, ['d'])
    expect(ours).toBe(
      `<a:e xmlns:a="${uris[0]}" xmlns:c="${uris[1]}" xmlns:d="${uris[0]}" ID="1" c:type="v">` +
        `<a:f><a:f xmlns:a="${uris[1]}"><b:f xmlns:b="${uris[2]}">x</b:f></a:f>` +
        '<a:f z="&amp;"></a:f></a:f></a:e>',
    )
    expect(ours).toBe(byXmlCrypto(node, Object.fromEntries(inScope), ['d']))
    // The caller's map is left as it was.
    expect([...inScope]).toEqual([
      ['b', uris[2]],
      ['c', uris[1]],
      ['d', uris[0]],
    ])
  })
})

describe('canonicalizeElement orders unprefixed attributes by name, however many', () => {
  it("gives xml-crypto's order for up to 16 of them, in any order given", () => {
    const names = ['Z', 'a', 'ID', 'Version', 'b', 'IssueInstant', 'A', 'Destination']
    const more = [...names, 'x', 'Format', 'y1', 'y', 'é', 'NotBefore', 'InResponseTo', '_']
    fc.assert(
      fc.property(fc.shuffledSubarray(more, { minLength: 2 }), (chosen) => {
        const node = element(
          'a:e',
          Object.fromEntries(chosen.map((name, index) => [name, `${index}<&"`])),
          ['t'],
        )
        const ours = canonicalizeElement(node, new Map([['a', uris[0]]]))
        expect(ours).toBe(byXmlCrypto(node, { a: uris[0] }, []))
        // The element's own attributes stay in document order.
        expect(node.attributes.map(([name]) => name)).toEqual(chosen)
      }),
      { seed: 22, numRuns: 300 },
    )
  })
})

describe('canonical forms kept from one signature for the next over the same tree', () => {
  it('writes an enclosing element exactly as without them, whatever the enclosing context', () => {
    fc.assert(
      fc.property(
        tree,
        ancestors,
        fc.subarray(['a', 'b', 'c', 'd']),
        fc.constantFrom(...prefixes),
        fc.dictionary(fc.constantFrom(...prefixes, 'd'), fc.constantFrom(...uris), { maxKeys: 3 }),
        fc.boolean(),
        (inner, inScope, inclusive, outerPrefix, outerNamespaces, samePrefixList) => {
          // The inner element signed first, in the outer one's scope, then the outer element.
          const outer = element(`${outerPrefix}:Response`, { ID: 'r' }, [inner], {
            ...inScope,
            ...outerNamespaces,
          })
          const kept = keptCanonicals()
          const innerScope = new Map(Object.entries(outer.namespaces))
          canonicalizeElement(inner, innerScope, inclusive, kept)
          const outerInclusive = samePrefixList ? inclusive : ['d']
          expect(canonicalizeElement(outer, new Map(), outerInclusive, kept)).toBe(
            canonicalizeElement(outer, new Map(), outerInclusive),
          )
        },
      ),
      { seed: 22, numRuns: 400 },
    )
  })

  it('writes a kept child from what it kept when its prefixes are bound and written as then', () => {
    const child = element('a:f', {}, ['kept'])
    const inner = element('a:e', { ID: 'e' }, [child])
    const outer = element('b:r', {}, [inner], { a: uris[0], b: uris[1] })
    const kept = keptCanonicals()
    canonicalizeElement(inner, new Map(Object.entries(outer.namespaces)), [], kept)
    // Changed after it was kept (what callers must not do): the kept form shows it was reused.
    child.children = ['changed']
    expect(canonicalizeElement(outer, new Map(), [], kept)).toBe(
      `<b:r xmlns:b="${uris[1]}"><a:e xmlns:a="${uris[0]}" ID="e"><a:f>kept</a:f></a:e></b:r>`,
    )
  })

  it('writes a kept child anew when a prefix it names is bound or written otherwise', () => {
    const child = element('a:f', { 'c:type': 'v' }, ['kept'])
    const inner = element('a:e', { ID: 'e' }, [child])
    const kept = keptCanonicals()
    canonicalizeElement(
      inner,
      new Map([
        ['a', uris[0]],
        ['c', uris[1]],
      ]),
      [],
      kept,
    )
    child.children = ['changed']
    // c bound to another URI.
    const rebound = element('b:r', {}, [inner], { a: uris[0], b: uris[1], c: uris[2] })
    expect(canonicalizeElement(rebound, new Map(), [], kept)).toContain('>changed<')
    // c written already by an output ancestor (the outer element uses it).
    const written = element('b:r', { 'c:type': 'w' }, [inner], {
      a: uris[0],
      b: uris[1],
      c: uris[1],
    })
    expect(canonicalizeElement(written, new Map(), [], kept)).toContain('>changed<')
    // Another InclusiveNamespaces PrefixList.
    const same = element('b:r', {}, [inner], { a: uris[0], b: uris[1], c: uris[1] })
    expect(canonicalizeElement(same, new Map(), ['b'], kept)).toContain('>changed<')
    expect(canonicalizeElement(same, new Map(), [], kept)).toContain('>kept<')
  })
})
