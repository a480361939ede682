import { describe, expect, it } from 'vitest'
import { parseInstant } from './time.ts'

describe('parseInstant', () => {
  it('reads UTC xs:dateTime with and without fractions', () => {
    expect(parseInstant('2030-01-01T00:00:00Z', 't')).toBe(Date.UTC(2030, 0, 1))
    expect(parseInstant('2030-01-01T00:00:00.250Z', 't')).toBe(Date.UTC(2030, 0, 1) + 250)
    expect(parseInstant('2030-01-01T00:00:00.123456789Z', 't')).toBe(Date.UTC(2030, 0, 1) + 123)
  })

  it('refuses other zones, missing zones, impossible dates and junk', () => {
    for (const bad of [
      '2030-01-01T00:00:00+01:00',
      '2030-01-01T00:00:00',
      '2030-13-01T00:00:00Z',
      'yesterday',
      '',
    ]) {
      expect(() => parseInstant(bad, 'NotOnOrAfter')).toThrow(
        expect.objectContaining({ code: 'SAML_TIMESTAMP_INVALID' }),
      )
    }
  })
})
