import { describe, expect, it } from 'vitest'
import { attributes, encodeForm, formById, selfSubmittingForm } from './html-form.ts'

// The visitor's form encoding must be what a browser sends: URLSearchParams's serializer is the
// reference for every input, the fast path included.
describe('encodeForm', () => {
  const reference = (fields: [string, string][]) => new URLSearchParams(fields).toString()

  it('encodes a SAML POST form (base64 with + / =) as URLSearchParams does', () => {
    const response = Buffer.from(
      '<samlp:Response ID="_1"><ds:Signature>\u00ff\u00fe?>></ds:Signature></samlp:Response>'
        .repeat(40)
        .concat('!'),
      'latin1',
    ).toString('base64')
    expect(response).toMatch(/\+/)
    expect(response).toMatch(/\//)
    expect(response).toMatch(/=$/)
    const fields: [string, string][] = [
      ['SAMLResponse', response],
      ['RelayState', '/'],
    ]
    expect(encodeForm(fields)).toBe(reference(fields))
    expect(encodeForm(fields)).toMatch(/^SAMLResponse=[A-Za-z0-9%]+&RelayState=%2F$/)
  })

  it('keeps letters, digits and *-._ as they are, and an empty form empty', () => {
    expect(encodeForm([['a-b_c.d*e', 'AZaz09']])).toBe('a-b_c.d*e=AZaz09')
    expect(encodeForm([['x', '']])).toBe('x=')
    expect(encodeForm([])).toBe('')
  })

  it('encodes spaces, reserved characters, non-ASCII and lone surrogates as URLSearchParams does', () => {
    const cases: [string, string][][] = [
      [['username', 'alice smith']],
      [['q', "a&b=c+d/e?f#g%h!i'j(k)l~m"]],
      [['name', 'Zoë 😀 \u00e9\u4e2d']],
      [['bad', 'x\ud800y\udfff']],
      [
        ['a', 'x+y'],
        ['b c', 'd'],
      ],
    ]
    for (const fields of cases) expect(encodeForm(fields)).toBe(reference(fields))
  })

  it('matches URLSearchParams with each ASCII character in a base64 value and in a name', () => {
    for (let code = 0; code < 128; code++) {
      const c = String.fromCharCode(code)
      for (const fields of [[['SAMLResponse', `PD94+bWw/${c}Zz0=`]], [[`a${c}`, 'b']]] as [
        string,
        string,
      ][][])
        expect(encodeForm(fields), `character ${code}`).toBe(reference(fields))
    }
  })

  it('matches URLSearchParams on random fields drawn from every ASCII character and some beyond', () => {
    const alphabet = [
      ...Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)),
      ...'+/=+/=ABCabc019',
      '\u00e9',
      '\u20ac',
      '\ud83d\ude00',
      '\ud800',
    ]
    let seed = 22
    const random = (below: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return Math.floor((seed / 2 ** 32) * below)
    }
    const text = () =>
      Array.from({ length: random(12) }, () => alphabet[random(alphabet.length)]).join('')
    for (let i = 0; i < 2000; i++) {
      const fields = Array.from(
        { length: 1 + random(3) },
        () => [text(), text()] as [string, string],
      )
      expect(encodeForm(fields)).toBe(reference(fields))
    }
  })
})

// The tag reader scans by hand what this pattern finds (the reader before it was written).
function referenceAttributes(tag: string): [string, string][] {
  const found = new Map<string, string>()
  const open = tag.search(/[\s>]/)
  for (const match of tag
    .slice(open)
    .matchAll(/([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    const name = (match[1] ?? '').toLowerCase()
    if (!found.has(name)) found.set(name, match[2] ?? match[3] ?? match[4] ?? '')
  }
  return [...found]
}

describe('attributes', () => {
  it('reads names, bare, quoted and unquoted values, the first of a name, entities decoded', () => {
    expect([
      ...attributes(
        '<input TYPE=hidden name = "SAMLResponse" value=\'a&amp;b\' disabled Name="again" data-x=1/2/>',
      ),
    ]).toEqual([
      ['type', 'hidden'],
      ['name', 'SAMLResponse'],
      ['value', 'a&b'],
      ['disabled', ''],
      ['data-x', '1/2/'],
    ])
  })

  it('reads a 13 kB quoted value whole', () => {
    const value = 'PHNhbWxw+/='.repeat(1200)
    expect(attributes(`<input name="SAMLResponse" value="${value}">`).get('value')).toBe(value)
  })

  it('finds what the attribute pattern finds, on random tags of quotes, spaces, = / > and names', () => {
    const pieces = [
      ' ',
      '  ',
      '\t',
      '\n',
      '\u00a0',
      '\u2028',
      '=',
      '/',
      '>',
      '"',
      "'",
      'a',
      'Bc',
      'x-y',
      '1',
      'é',
    ]
    let seed = 7
    const random = (below: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return Math.floor((seed / 2 ** 32) * below)
    }
    for (let i = 0; i < 2000; i++) {
      const inner = Array.from({ length: random(16) }, () => pieces[random(pieces.length)]).join('')
      const tag = `<input${random(4) === 0 ? '' : ' '}${inner}>`
      expect([...attributes(tag)], tag).toEqual(referenceAttributes(tag))
    }
  })
})

describe('forms', () => {
  it('sends the fields of <input> tags in any case, not of other tags, disabled or unpressed ones', () => {
    const page = `<body onload="document.forms[0].submit()"><form METHOD="POST" action="/acs">
      <INPUT type="hidden" name="SAMLResponse" value="PD94+/=="><inputs name="no" value="1">
      <input name="off" value="1" disabled><input type="submit" name="go" value="1">
      <Input name="RelayState" value="/a b"></form><input name="outside" value="1"></body>`
    expect(selfSubmittingForm(page)).toEqual({
      action: '/acs',
      method: 'POST',
      fields: [
        ['SAMLResponse', 'PD94+/=='],
        ['RelayState', '/a b'],
      ],
    })
  })

  it('ends an input at its first > (as the pattern did) and stops at an input never closed', () => {
    expect(
      formById('<form id="f"><input name="a" value="1"><input name="b" value="2"', 'f'),
    ).toEqual({ action: '', method: 'GET', fields: [['a', '1']] })
    // The scan goes on after the tag's >: an <input in its text is not another input.
    expect(
      formById('<form id="f"><input name="a" value="<input name=b>"></form>', 'f')?.fields,
    ).toEqual([['a', '']])
    // value="x> ends the tag: its value has no closing quote, so the input has none.
    expect(formById('<form id="f"><input name="a" value="x>y"></form>', 'f')?.fields).toEqual([
      ['a', ''],
    ])
  })

  it('finds no self-submitting form on a page whose body does not submit one', () => {
    expect(selfSubmittingForm('<body><form><input name="a"></form></body>')).toBeUndefined()
  })
})
