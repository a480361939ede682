import { describe, expect, it } from 'vitest'
import { fromEarlier } from './from-earlier.ts'

describe('fromEarlier', () => {
  it('returns what an earlier check set, falsy values included', () => {
    expect(fromEarlier('x', 'the Assertion')).toBe('x')
    expect(fromEarlier(0, 'a count')).toBe(0)
    expect(fromEarlier('', 'a name')).toBe('')
  })

  it('names the value a check read before it was set', () => {
    expect(() => fromEarlier(undefined, 'the Assertion')).toThrow(
      'the Assertion is read before the check that sets it',
    )
  })
})
