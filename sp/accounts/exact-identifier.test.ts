import { describe, expect, it } from 'vitest'
import {
  escapeInvisible,
  escapeInvisibleInText,
  lookAlikeReason,
  requireExactIdentifier,
} from './exact-identifier.ts'

describe('exact identifiers', () => {
  it.each([
    'carol',
    'Carol',
    'carol smith',
    'carol@example.com',
    'ｃａｒｏｌ',
    'José',
    'e\u0301',
    'İstanbul',
    '日本',
    '😀',
    'urn:oid:1.2.3',
    'a\\b',
  ])('accepts %j as it is', (value) => {
    expect(lookAlikeReason(value)).toBeUndefined()
    expect(() => requireExactIdentifier(value, 'NameID')).not.toThrow()
  })

  it.each([
    ['carol ', 'white space at its start or end'],
    [' carol', 'white space at its start or end'],
    ['\ncarol', 'white space at its start or end'],
    ['carol\t', 'white space at its start or end'],
    ['carol\u00a0', 'white space at its start or end'],
    ['carol\u3000', 'white space at its start or end'],
    ['carol\u2009', 'white space at its start or end'],
    ['\u2028carol', 'white space at its start or end'],
    ['\ufeffcarol', 'an invisible or control character'],
    ['ca\u200brol', 'an invisible or control character'],
    ['caro\u200dl', 'an invisible or control character'],
    ['car\u2060ol', 'an invisible or control character'],
    ['\u202ecarol', 'an invisible or control character'],
    ['carol\u2066', 'an invisible or control character'],
    ['carol\u200e', 'an invisible or control character'],
    ['car\u00adol', 'an invisible or control character'],
    ['carol\u180e', 'an invisible or control character'],
    ['carol\u3164', 'an invisible or control character'],
    ['carol\u034f', 'an invisible or control character'],
    ['carol\ufe0f', 'an invisible or control character'],
    ['carol\u{e0020}', 'an invisible or control character'],
    ['carol\u2800', 'an invisible or control character'],
    ['car\u00a0ol', 'an invisible or control character'],
    ['car\u3000ol', 'an invisible or control character'],
    ['car\u0000ol', 'an invisible or control character'],
    ['car\u0085ol', 'an invisible or control character'],
    ['car\ue000ol', 'an invisible or control character'],
    ['car\ud800ol', 'an invisible or control character'],
    ['carol\ufffe', 'an invisible or control character'],
    ['carol\u{10ffff}', 'an invisible or control character'],
    ['car\u0378ol', 'an invisible or control character'],
    ['\u061ccarol', 'an invisible or control character'],
    ['carol\u{1d173}', 'an invisible or control character'],
    ['car\uffa0ol', 'an invisible or control character'],
    ['carol\u17b4', 'an invisible or control character'],
  ])('refuses %j: %s (IDENTIFIER_LOOK_ALIKE), never trimmed', (value, reason) => {
    expect(lookAlikeReason(value)).toBe(reason)
    expect(() => requireExactIdentifier(value, 'NameID')).toThrow(
      expect.objectContaining({
        code: 'IDENTIFIER_LOOK_ALIKE',
        check: 'NameID',
        evidence: { value: escapeInvisible(value) },
      }),
    )
  })

  it('shows an identifier escaped, never with its invisible characters as they are', () => {
    expect(escapeInvisible('carol\u3000')).toBe('carol\\u3000')
    expect(escapeInvisible('\ufeffcarol')).toBe('\\ufeffcarol')
    expect(escapeInvisible('carol ')).toBe('carol\\u0020')
    expect(escapeInvisible('carol smith')).toBe('carol smith')
    expect(escapeInvisible('c\u200barol')).toBe('c\\u200barol')
    expect(escapeInvisible('x\u{e0020}')).toBe('x\\u{e0020}')
  })

  it('keeps the layout of a message while escaping what cannot be seen', () => {
    expect(escapeInvisibleInText('<a>\n  carol\u3000</a>\t')).toBe('<a>\n  carol\\u3000</a>\t')
  })
})
