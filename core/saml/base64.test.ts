import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SsoError } from '../errors/index.ts'
import { decodeBase64Strict } from './base64.ts'

/** The grammar the bindings accept, written the plain way: whitespace dropped, then one pattern. */
function accepted(value: string): boolean {
  const compact = value.replace(/\s+/g, '')
  return compact.length > 0 && compact.length % 4 !== 1 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact)
}

function decoded(value: string): Buffer | string {
  try {
    return decodeBase64Strict(value, 'test')
  } catch (error) {
    if (error instanceof SsoError) return error.code
    throw error
  }
}

describe('decodeBase64Strict', () => {
  it('decodes base64 with or without padding, line breaks and spaces', () => {
    const bytes = Buffer.from('<samlp:Response ID="_1"/>')
    const text = bytes.toString('base64')
    expect(decoded(text)).toEqual(bytes)
    expect(decoded(`${text.slice(0, 10)}\r\n ${text.slice(10)}\n`)).toEqual(bytes)
    expect(decoded('YWI=')).toEqual(Buffer.from('ab'))
    expect(decoded('YWI')).toEqual(Buffer.from('ab'))
    expect(decoded('YQ==')).toEqual(Buffer.from('a'))
  })

  it('refuses padding that is not at the end, too much padding, other characters, no whole byte', () => {
    for (const value of [
      '',
      ' \n',
      'YQ=A',
      'Y=Q=',
      '=YWI',
      'YQ===',
      'YWJj=',
      'YW=J',
      'YWJjZ',
      'YWJj!',
      'YW-_',
      'YWJj\u0000',
      'YWJjé',
    ]) {
      expect(decoded(value), JSON.stringify(value)).toBe('SAML_BINDING_INVALID')
    }
  })

  it('accepts exactly the base64 grammar, whatever the mix of characters', () => {
    const character = fc.constantFrom(
      'A',
      'z',
      '0',
      '+',
      '/',
      '=',
      ' ',
      '\n',
      '\t',
      '\u00a0',
      '\ufeff',
      '-',
      '_',
      '!',
      'é',
    )
    fc.assert(
      fc.property(fc.array(character, { maxLength: 14 }), (characters) => {
        const value = characters.join('')
        const result = decoded(value)
        if (accepted(value)) {
          expect(result).toEqual(Buffer.from(value.replace(/\s+/g, ''), 'base64'))
        } else {
          expect(result).toBe('SAML_BINDING_INVALID')
        }
      }),
      { numRuns: 5000 },
    )
  })
})
