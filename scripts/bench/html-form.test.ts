import { describe, expect, it } from 'vitest'
import { encodeForm } from './html-form.ts'

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
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % below
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
