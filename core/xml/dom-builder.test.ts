import { DOMParser, type Node } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { SsoError } from '../errors/index.ts'
import { unnormalizedBuilder } from './dom-builder.ts'
import { parseXml } from './parse.ts'

/** Every node in document order: type, name, value, attributes; what a reader of the tree sees. */
function shape(node: Node): unknown[] {
  const out: unknown[] = []
  const visit = (current: Node) => {
    const attributes = (current as { attributes?: ArrayLike<Node> }).attributes
    out.push([
      current.nodeType,
      current.nodeName,
      current.namespaceURI ?? null,
      current.nodeValue ?? null,
      Array.from(attributes ?? [], (a) => [a.nodeName, a.namespaceURI ?? null, a.nodeValue]),
    ])
    for (let child = current.firstChild; child; child = child.nextSibling) visit(child)
  }
  visit(node)
  return out
}

/** xmldom's own builder, normalize() included (line ends folded as parse.ts folds them). */
function shipped(text: string): Node {
  return new DOMParser({
    normalizeLineEndings: (input) => input.replace(/\r\n?/g, '\n'),
  }).parseFromString(text, 'text/xml')
}

const inputs = [
  '<a>plain</a>',
  '<a>x &amp; y &lt;z&gt; &#65;&#x42; &quot;&apos;</a>',
  '<a>before<![CDATA[inside]]>after</a>',
  '<a>one<!-- comment -->two<b/>three<b>four</b>five</a>',
  '<a><![CDATA[]]><![CDATA[x]]>&amp;<![CDATA[y]]></a>',
  '<?xml version="1.0"?>\n<!-- before -->\n<a xmlns="urn:x" xmlns:p="urn:p">\n  <p:b p:c="&amp;">\t</p:b>\r\n</a>\n<!-- after -->\n',
  '<a>&#xD;&#10;\r\n\r \u2028</a>',
  '<a><b></b><b/>   <c>   </c></a>',
]

describe('the DOM builder without normalize()', () => {
  it('is the one parseXml uses with this xmldom', () => {
    expect(unnormalizedBuilder).toBeTypeOf('function')
  })

  it.each(inputs)("builds the same tree as xmldom's own builder: %j", (text) => {
    expect(shape(parseXml(text))).toEqual(shape(shipped(text)))
  })

  it('leaves no empty or adjacent text node for the signature checks to read', () => {
    for (const text of inputs) {
      const texts: Node[] = []
      const visit = (node: Node) => {
        for (let child = node.firstChild; child; child = child.nextSibling) {
          if (child.nodeType === child.TEXT_NODE) texts.push(child)
          visit(child)
        }
      }
      visit(parseXml(text))
      for (const text of texts) {
        expect(text.nodeValue).not.toBe('')
        expect(text.nextSibling?.nodeType).not.toBe(text.TEXT_NODE)
      }
    }
  })
})

describe('line numbers of a refusal (parsed again with them)', () => {
  const lineOf = (text: string) => {
    try {
      parseXml(text)
    } catch (error) {
      if (error instanceof SsoError) return { code: error.code, line: error.evidence.line }
    }
    throw new Error('expected a refusal')
  }

  it('names the line of a processing instruction and of nesting too deep', () => {
    expect(lineOf('<a>\n<b/>\n<?x y?></a>')).toEqual({
      code: 'XML_PROCESSING_INSTRUCTION_FORBIDDEN',
      line: 3,
    })
    expect(lineOf(`<a>\n\n${'<b>'.repeat(70)}${'</b>'.repeat(70)}</a>`)).toMatchObject({
      code: 'XML_TOO_DEEP',
      line: 3,
    })
  })
})
