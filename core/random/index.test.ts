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

  it('hands out each byte of the system source once, across pool refills and large draws', () => {
    const draws = Array.from({ length: 600 }, () => systemRandom.bytes(20).toString('hex'))
    expect(new Set(draws).size).toBe(draws.length)
    const large = systemRandom.bytes(10_000)
    expect(large.length).toBe(10_000)
    expect(new Set(large).size).toBeGreaterThan(200)
    // A draw is a copy: changing it leaves the next draws alone.
    const a = systemRandom.bytes(32)
    a.fill(0)
    expect(systemRandom.bytes(32).equals(Buffer.alloc(32))).toBe(false)
  })
})
