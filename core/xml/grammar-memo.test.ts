import { DOMParser, XMLSerializer } from '@xmldom/xmldom'
import grammar from '@xmldom/xmldom/lib/grammar.js'
import { afterEach, describe, expect, it } from 'vitest'
import { SsoError } from '../errors/index.ts'
import { grammarMemo, memoiseReg, type Reg } from './grammar-memo.ts'
import { parseXml } from './parse.ts'

const installed = grammar.reg

afterEach(() => {
  grammar.reg = installed
})

/** Everything xmldom reports and builds: every warning and error in order, then the tree. */
function outcome(text: string): unknown[] {
  const reports: unknown[] = []
  const parser = new DOMParser({
    onError: (level, message) => {
      reports.push([level, message])
    },
  })
  try {
    const doc = parser.parseFromString(text, 'text/xml')
    reports.push(['tree', new XMLSerializer().serializeToString(doc)])
  } catch (error) {
    reports.push(['thrown', error instanceof Error ? error.message : String(error)])
  }
  return reports
}

/** parseXml's answer: the document serialized, or the refusal's code and evidence. */
function parsed(text: string): unknown {
  try {
    return new XMLSerializer().serializeToString(parseXml(text))
  } catch (error) {
    return error instanceof SsoError ? [error.code, error.evidence] : error
  }
}

const documents = [
  '<a></a>',
  '<p:a xmlns:p="urn:p"><p:b>x</p:b></p:a>',
  '<a><b></b ><c></c\t>\n<d></d\n></a>',
  '<é><ñ:ü xmlns:ñ="urn:ñ"></ñ:ü></é>',
  '<a><!-- one --><![CDATA[two]]><!-- three --></a>',
  '<!DOCTYPE a [<!ELEMENT a ANY><!ENTITY e "x"><!ATTLIST a b CDATA #IMPLIED>]><a>&e;</a>',
  '<!DOCTYPE a SYSTEM "about:legacy-compat"><a/>',
  // malformed end tags: missing name, bad name, trailing content, unclosed, mismatched
  '<a></>',
  '<a></1a>',
  '<a></a b>',
  '<a></a\nb>',
  '<a></a:b:c>',
  '<a></a',
  '<a><b></a></b>',
  '<a></b>',
  '</a>',
  '<a></a><b></b>',
  'text<a></a>',
  '<a><!-- unclosed </a>',
  '<a><![CDATA[unclosed</a>',
]

describe('xmldom grammar memo', () => {
  it('is in place in the grammar module xmldom parses with', () => {
    expect(grammarMemo.installed, 'xmldom no longer has a grammar module exporting reg').toBe(true)
    expect(typeof grammarMemo.original).toBe('function')
  })

  it('leaves every document parsed to the same tree, warnings and errors as without it', () => {
    for (const text of documents) {
      grammar.reg = grammarMemo.original as Reg
      const without = [outcome(text), parsed(text)]
      grammar.reg = installed
      const first = [outcome(text), parsed(text)]
      const again = [outcome(text), parsed(text)]
      expect(first, text).toEqual(without)
      expect(again, text).toEqual(without)
    }
  })

  it('gives parseXml the same refusals for malformed end tags', () => {
    expect(parsed('<a></a b>')).toMatchObject(['XML_MALFORMED', {}])
    expect(parsed('<a></1a>')).toMatchObject(['XML_MALFORMED', {}])
    expect(parsed('<a><b></a></b>')).toMatchObject(['XML_MALFORMED', {}])
    expect(parsed('<a></a>')).toBe('<a/>')
  })

  it('compiles no RegExp per end tag, comment or CDATA section', () => {
    const many = `<a>${'<b><!--c--><![CDATA[d]]></b>'.repeat(200)}</a>`
    const compiled = (text: string) => {
      const Native = RegExp
      let count = 0
      globalThis.RegExp = new Proxy(Native, {
        construct(target, args, newTarget) {
          count++
          return Reflect.construct(target, args, newTarget)
        },
      })
      try {
        parseXml(text)
      } finally {
        globalThis.RegExp = Native
      }
      return count
    }
    compiled(many)
    expect(
      compiled(many),
      'xmldom compiles a RegExp per end tag again: is core/xml/grammar-memo.ts still in effect?',
    ).toBeLessThanOrEqual(compiled('<a/>'))
  })

  it('builds each distinct call once and hands back the same RegExp', () => {
    const part = /x+/
    const { reg, counts } = memoiseReg(grammarMemo.original as Reg, 4)
    const first = reg.call(grammar, '^', part, '$')
    expect(reg.call(grammar, '^', part, '$')).toBe(first)
    expect(reg.call(grammar, '^', part)).not.toBe(first)
    expect(reg.call(grammar, '^', /x+/, '$')).not.toBe(first)
    expect(first.source).toBe('^x+$')
    expect(counts()).toEqual({ builds: 3, hits: 1, entries: 3 })
  })

  it('remembers no more than its bound and still answers past it', () => {
    const { reg, counts } = memoiseReg(grammarMemo.original as Reg, 4)
    const parts = Array.from({ length: 10 }, (_, i) => new RegExp(`a{${i}}`))
    for (const part of parts) expect(reg.call(grammar, part, '$').source).toBe(`${part.source}$`)
    expect(reg.call(grammar, parts[9] as RegExp, '$')).not.toBe(
      reg.call(grammar, parts[9] as RegExp, '$'),
    )
    expect(counts().entries).toBe(4)
  })

  it('passes a call without a receiver straight to xmldom, which refuses a bare |', () => {
    const { reg } = memoiseReg(grammarMemo.original as Reg, 4)
    expect(() => reg.call(undefined, 'a', '|', 'b')).toThrow('use regg instead of reg')
    expect(reg.call(grammar, 'a', '|', 'b').source).toBe('a|b')
  })
})
