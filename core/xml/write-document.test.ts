import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { create } from 'xmlbuilder2'
import { writeXmlDocument, writeXmlElement, type XmlNode } from './write-document.ts'

type Builder = ReturnType<ReturnType<typeof create>['ele']>

/** The same elements through xmlbuilder2, as the metadata and the AuthnRequest were written before. */
function viaXmlbuilder2(root: XmlNode, layout: 'document' | 'headless' = 'document'): string {
  const add = (parent: Builder | ReturnType<typeof create>, node: XmlNode) => {
    const declarations = Object.fromEntries(
      Object.entries(node.namespaces ?? {}).map(([prefix, uri]) => [`xmlns:${prefix}`, uri]),
    )
    const element = parent.ele(node.namespace, node.name, {
      ...declarations,
      ...node.attributes,
    })
    if (node.text !== undefined) element.txt(node.text)
    for (const child of node.children ?? []) add(element, child)
  }
  if (layout === 'headless') {
    const document = create()
    add(document, root)
    return document.end({ headless: true })
  }
  const document = create({ version: '1.0', encoding: 'UTF-8' })
  add(document, root)
  return document.end({ prettyPrint: true })
}

// Characters that need escaping or look like markup, among ordinary ones.
const text = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', ' ', '&', '<', '>', '"', "'", ']', ':', '/', 'é', '\t'),
  maxLength: 12,
})
// One namespace per prefix, as in metadata (xmlbuilder2 would reuse another prefix bound to it).
const namespaces = { md: 'urn:one', ds: 'urn:two', alg: 'http://example.org/a&b' } as const
const named = fc
  .tuple(
    fc.constantFrom('md', 'ds', 'alg') as fc.Arbitrary<keyof typeof namespaces>,
    fc.constantFrom('A', 'Key', 'X509Data'),
  )
  .map(([prefix, local]) => ({
    name: `${prefix}:${local}` as const,
    namespace: namespaces[prefix],
  }))
const attributes = fc
  .dictionary(fc.constantFrom('use', 'Binding', 'index', 'isDefault'), text, { maxKeys: 3 })
  .map((entries) => ({ ...entries }))
const leaf: fc.Arbitrary<XmlNode> = fc
  .tuple(
    named,
    attributes,
    text.filter((value) => value !== ''),
  )
  .map(([name, attrs, content]) => ({ ...name, attributes: attrs, text: content }))
const { tree } = fc.letrec<{ tree: XmlNode }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc
      .tuple(named, attributes, fc.array(tie('tree'), { maxLength: 3 }))
      .map(([name, attrs, children]) => ({ ...name, attributes: attrs, children })),
  ),
}))

describe('writeXmlDocument', () => {
  it('writes byte for byte what xmlbuilder2 writes for the same elements', () => {
    fc.assert(
      fc.property(tree, (root) => {
        expect(writeXmlDocument(root)).toBe(viaXmlbuilder2(root))
      }),
      { numRuns: 300 },
    )
  })

  it('writes an element compactly, byte for byte what xmlbuilder2 writes headless', () => {
    // Declared ahead on the root, as the AuthnRequest declares saml: for its Issuer.
    const declared = fc.subarray(['md', 'ds', 'alg'] as const)
    fc.assert(
      fc.property(tree, declared, (root, prefixes) => {
        const own = root.name.slice(0, root.name.indexOf(':'))
        const extra = prefixes.filter((prefix) => prefix !== own)
        const node = {
          ...root,
          namespaces: Object.fromEntries(extra.map((prefix) => [prefix, namespaces[prefix]])),
        }
        expect(writeXmlElement(node)).toBe(viaXmlbuilder2(node, 'headless'))
      }),
      { numRuns: 300 },
    )
  })

  it('declares a prefix where it is first used and again where it means another namespace', () => {
    const xml = writeXmlDocument({
      name: 'md:Root',
      namespace: 'urn:md',
      children: [
        { name: 'md:Same', namespace: 'urn:md' },
        {
          name: 'md:Other',
          namespace: 'urn:other',
          children: [{ name: 'ds:Key', namespace: 'urn:ds', text: 'a<b' }],
        },
      ],
    })
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<md:Root xmlns:md="urn:md">',
        '  <md:Same/>',
        '  <md:Other xmlns:md="urn:other">',
        '    <ds:Key xmlns:ds="urn:ds">a&lt;b</ds:Key>',
        '  </md:Other>',
        '</md:Root>',
      ].join('\n'),
    )
  })
})
