import { describe, expect, it } from 'vitest'
import { createSeededRandom, newId, newToken, systemRandom } from './index.ts'

describe('random', () => {
  it('repeats a seeded sequence and differs between seeds', () => {
    const a = createSeededRandom('s1')
    const b = createSeededRandom('s1')
    const c = createSeededRandom('s2')
    const first = newId(a)
    expect(newId(b)).toBe(first)
    expect(newId(c)).not.toBe(first)
    expect(newId(a)).not.toBe(first)
  })

  it('makes xs:ID values that start with an underscore', () => {
    expect(newId(systemRandom)).toMatch(/^_[0-9a-f]{40}$/)
    expect(newToken(systemRandom)).toMatch(/^[A-Za-z0-9_-]{32}$/)
  })
})
