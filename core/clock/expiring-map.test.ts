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
})
