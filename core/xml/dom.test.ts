import { DOMImplementation } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { cloneElement, isElement, isText, parseXml, rootElement } from './index.ts'

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
