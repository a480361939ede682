import { describe, expect, it } from 'vitest'
import { createExpiringMap } from './expiring-map.ts'
import { createManualClock } from './index.ts'

describe('createExpiringMap', () => {
  it('ends an entry exactly at its instant and sweeps expired ones on insert', () => {
    const clock = createManualClock('2030-01-01T00:00:00Z')
    const map = createExpiringMap<string>(clock)
    map.set('a', 'A', clock.now() + 1000)
    clock.advance(999)
    expect(map.get('a')).toBe('A')
    clock.advance(1)
    expect(map.get('a')).toBeUndefined()

    map.set('b', 'B', clock.now() + 10)
    clock.advance('1s')
    map.set('c', 'C', clock.now() + 10)
    expect(map.size).toBe(1)
  })

  it('extends live entries only, and takes an entry once', () => {
    const clock = createManualClock('2030-01-01T00:00:00Z')
    const map = createExpiringMap<number>(clock)
    map.set('k', 1, clock.now() + 100)
    clock.advance(90)
    expect(map.extend('k', clock.now() + 100)).toBe(true)
    clock.advance(90)
    expect(map.get('k')).toBe(1)
    expect(map.take('k')).toBe(1)
    expect(map.take('k')).toBeUndefined()
    expect(map.extend('k', clock.now() + 100)).toBe(false)
  })

  it('sweeps in full only once the map has doubled, so an insert does not walk every entry', () => {
    const clock = createManualClock('2030-01-01T00:00:00Z')
    let sweeps = 0
    const counted = {
      now: () => {
        sweeps++
        return clock.now()
      },
    }
    const map = createExpiringMap<number>(counted)
    for (let i = 0; i < 10_000; i++) map.set(`live-${i}`, i, clock.now() + 60_000)
    // 64, 128, … 8192: one sweep each time the map doubled.
    expect(sweeps).toBeLessThanOrEqual(8)
    clock.advance('1m')
    for (let i = 0; i < 10_000; i++) map.set(`next-${i}`, i, clock.now() + 60_000)
    // The expired first ten thousand went at the first sweep after they ended.
    expect(map.size).toBe(10_000)
    expect(map.get('live-0')).toBeUndefined()
    expect(map.get('next-9999')).toBe(9999)
  })
})
