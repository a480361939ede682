import { DOMImplementation } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import {
  cloneElement,
  descendantsNamed,
  isElement,
  isText,
  parseXml,
  rootElement,
} from './index.ts'

describe('node guards (xmldom types every child as a Node)', () => {
  const doc = parseXml('<a>text<b c="1"><!--note--></b></a>')
  const [text, b] = Array.from(doc.documentElement.childNodes)

  it('tells elements and text nodes by nodeType', () => {
    expect(isElement(b)).toBe(true)
    expect(isElement(text)).toBe(false)
    expect(isElement(doc)).toBe(false)
    expect(isElement(null)).toBe(false)
    expect(isText(text)).toBe(true)
    expect(isText(b?.firstChild)).toBe(false) // a comment
    expect(isText(undefined)).toBe(false)
  })

  it('copies an element deeply, as an element of the same document', () => {
    if (!isElement(b)) throw new Error('b is an element')
    const copy = cloneElement(b)
    expect(copy).not.toBe(b)
    expect(copy.getAttribute('c')).toBe('1')
    expect(copy.childNodes.length).toBe(1)
    expect(copy.ownerDocument).toBe(doc)
  })

  it('reads the root element, and names a document that has none', () => {
    expect(rootElement(doc).localName).toBe('a')
    const empty = new DOMImplementation().createDocument(null, '')
    expect(() => rootElement(empty)).toThrow('the document has no root element')
  })
})

describe('descendantsNamed', () => {
  const doc = parseXml(
    '<p:A xmlns:p="urn:p" xmlns:q="urn:q"><p:B id="1"><p:A id="2"/><q:B id="x"/><p:B id="3">t</p:B></p:B><!--c--><B id="y"/><p:B id="4"/></p:A>',
  )
  const ids = (list: readonly { getAttribute(name: string): string | null }[] | undefined) =>
    list?.map((el) => el.getAttribute('id'))

  it('finds each name in the namespace below the root, in document order, as getElementsByTagNameNS', () => {
    const [b, a, none] = descendantsNamed(doc, 'urn:p', ['B', 'A', 'C'])
    expect(ids(b)).toEqual(['1', '3', '4'])
    expect(ids(a)).toEqual([null, '2'])
    expect(none).toEqual([])
    for (const [name, list] of [
      ['B', b],
      ['A', a],
    ] as const) {
      expect(list).toEqual(Array.from(doc.getElementsByTagNameNS('urn:p', name)))
    }
  })

  it('leaves out the element it starts from', () => {
    const root = rootElement(doc)
    const [a] = descendantsNamed(root, 'urn:p', ['A'])
    expect(ids(a)).toEqual(['2'])
  })
})
