import { describe, expect, it } from 'vitest'
import { createManualClock, isoInstant, parseDuration } from './index.ts'

describe('parseDuration', () => {
  it('reads compound durations', () => {
    expect(parseDuration('47h59m')).toBe((47 * 60 + 59) * 60_000)
    expect(parseDuration('48h')).toBe(48 * 3_600_000)
    expect(parseDuration('1500ms')).toBe(1500)
    expect(parseDuration('2d3s')).toBe(2 * 86_400_000 + 3000)
  })

  it('refuses text without units', () => {
    expect(() => parseDuration('10')).toThrow(/invalid duration/)
    expect(() => parseDuration('h')).toThrow(/invalid duration/)
    expect(() => parseDuration('-5m')).toThrow(/invalid duration/)
  })
})

describe('createManualClock', () => {
  it('stands still until set or advanced', () => {
    const clock = createManualClock('2030-01-01T00:00:00Z')
    expect(clock.now()).toBe(Date.parse('2030-01-01T00:00:00Z'))
    clock.advance('48h')
    expect(isoInstant(clock.now())).toBe('2030-01-03T00:00:00Z')
    clock.set('2031-05-05T10:00:00.750Z')
    expect(isoInstant(clock.now())).toBe('2031-05-05T10:00:00Z')
  })
})
