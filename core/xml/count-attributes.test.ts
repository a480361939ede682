import { describe, expect, it } from 'vitest'
import { SsoError } from '../errors/index.ts'
import { checkAttributeCounts } from './count-attributes.ts'

const caps = { maxAttributes: 6, maxAttributesPerElement: 3, maxNodes: 4 }

function refusal(text: string): string | undefined {
  try {
    checkAttributeCounts(text, caps)
    return undefined
  } catch (error) {
    return error instanceof SsoError ? `${error.code} ${JSON.stringify(error.evidence)}` : 'other'
  }
}

describe('checkAttributeCounts', () => {
  it('counts the attributes of start tags, namespace declarations included, and nothing else', () => {
    const own = '<?xml version="1.0" encoding="UTF-8"?><r xmlns="u" a="1" b=\'2\'>x = y</r>'
    expect(refusal(own)).toBeUndefined()
    expect(refusal('<r xmlns="u" xmlns:p="v" a="1" b="2"/>')).toBe(
      'XML_TOO_MANY_ATTRIBUTES {"maxAttributesPerElement":3}',
    )
  })

  it("reads a value's `=`, `>` and other quote as value, not as attributes", () => {
    expect(refusal(`<r a="x=y>z'" b='q="=="'/>`)).toBeUndefined()
  })

  it('skips comments, CDATA sections, processing instructions and end tags', () => {
    const hidden =
      '<r><!-- <e a="1" b="2" c="3" d="4"/> --><![CDATA[<e a=1 b=2 c=3 d=4>]]><?pi a="1" b="2" c="3" d="4"?></r a="1">'
    expect(refusal(hidden)).toBeUndefined()
  })

  it('refuses more start tags than the node cap before parsing; hidden markup is not counted', () => {
    expect(refusal('<r><a/><b/><c/></r>')).toBeUndefined()
    expect(refusal('<r><!-- <x/><y/> --><![CDATA[<x/><y/>]]><a/><b/><c/></r>')).toBeUndefined()
    expect(refusal('<r><a/><b/><c/><d/></r>')).toBe('XML_TOO_MANY_NODES {"maxNodes":4}')
  })

  it('caps the attributes of the whole message', () => {
    expect(refusal('<r a="1" b="2" c="3"><e a="1" b="2" c="3"/></r>')).toBeUndefined()
    expect(refusal('<r a="1" b="2" c="3"><e a="1" b="2" c="3"/><f g="1"/></r>')).toBe(
      'XML_TOO_MANY_ATTRIBUTES {"maxAttributes":6}',
    )
  })

  it('leaves text it cannot read to the parser', () => {
    expect(refusal('<r a="unterminated')).toBeUndefined()
    expect(refusal('<r><!-- never closed <e a="1" b="2" c="3" d="4"/>')).toBeUndefined()
  })
})
