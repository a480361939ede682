import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { readUrlEncoded } from './url-encoded-form.ts'

const urlSearchParams = (body: string) => [...new URLSearchParams(body)]

const bodies = [
  '',
  '&',
  '&&a=1&&',
  'a',
  'a=',
  '=b',
  '=',
  'a=1=2',
  'a=1&a=2&b[]=3',
  'a+b=c+d%2Be',
  'SAMLResponse=PHNhbWxwOlJlc3BvbnNl%2B%2F%3D&RelayState=%2Faccount%3Fx%3D1%26y',
  'x=%C3%A9%E2%82%AC%F0%9F%98%80&y=é€😀',
  'x=%c3%a9',
  'x=%EF%BB%BFbom',
  'x=%EF%BF%BE',
  // What decodeURIComponent refuses: URLSearchParams keeps the sequence or puts U+FFFD.
  'x=100%',
  'x=%zz&y=%4',
  'x=%u0041',
  'x=%C0%AF',
  'x=%ED%A0%80',
  'x=%E2%82',
  'a=%FF&b=ok',
  '%=%%',
]

describe('readUrlEncoded', () => {
  it.each(bodies)('reads %j as URLSearchParams does', (body) => {
    expect(readUrlEncoded(body)).toEqual(urlSearchParams(body))
  })

  it('reads 5,000 bodies drawn from form characters as URLSearchParams does', () => {
    const chars = [...'ab=&+%2BFfC3A9ED0zé😀']
    let seed = 22
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed
    }
    for (let round = 0; round < 5000; round++) {
      const body = Array.from(
        { length: 1 + (next() % 16) },
        () => chars[next() % chars.length],
      ).join('')
      expect(readUrlEncoded(body), body).toEqual(urlSearchParams(body))
    }
  })

  it('reads a posted SAMLResponse back to its base64', () => {
    const value = randomBytes(7500).toString('base64')
    const body = new URLSearchParams({ SAMLResponse: value, RelayState: '/a b' }).toString()
    expect(readUrlEncoded(body)).toEqual([
      ['SAMLResponse', value],
      ['RelayState', '/a b'],
    ])
  })
})
