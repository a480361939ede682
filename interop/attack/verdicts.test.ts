import { describe, expect, it } from 'vitest'
import { mark, renderAttackTable } from './table.ts'
import { type AttackLine, readExpected, renderExpected, verdictDifferences } from './verdicts.ts'

const line = (id: string, overrides: Partial<AttackLine> = {}): AttackLine => ({
  id,
  catalogue: 1,
  verdict: 'refused',
  finding: false,
  severity: 'bypass',
  identity: undefined,
  identityShown: false,
  takeover: false,
  durationMs: 10,
  ...overrides,
})

describe('the expected verdicts of the attack cells', () => {
  it('names every case whose verdict changed, is new, or was not sent', () => {
    const lines = [
      line('baseline-valid-sign-in', { verdict: 'accepted' }),
      line('forged-saml-xsw3', { verdict: 'accepted', finding: true }),
      line('forged-saml-new-case'),
    ]
    expect(
      verdictDifferences(
        {
          'baseline-valid-sign-in': 'accepted',
          'forged-saml-xsw3': 'refused',
          'forged-saml-gone': 'refused',
        },
        lines,
      ),
    ).toEqual([
      'forged-saml-xsw3: accepted, expected refused',
      'forged-saml-new-case: refused, not in the expected file',
      'forged-saml-gone: expected refused, not sent',
    ])
    expect(verdictDifferences({ 'baseline-valid-sign-in': 'accepted' }, lines.slice(0, 1))).toEqual(
      [],
    )
    expect(verdictDifferences(undefined, lines.slice(0, 1))).toEqual([
      'baseline-valid-sign-in: accepted, not in the expected file',
    ])
  })

  it('reads what a run writes, and refuses a verdict that is not accepted, refused or off-site', () => {
    const sheet = {
      sp: 'lasso',
      title: 'Lasso SP',
      kits: '/tmp',
      lines: [line('a'), line('b', { verdict: 'accepted' }), line('c', { verdict: 'off-site' })],
    }
    expect(readExpected(renderExpected([sheet]))).toEqual({
      lasso: { a: 'refused', b: 'accepted', c: 'off-site' },
    })
    expect(() => readExpected('lasso:\n  a: maybe\n')).toThrow(
      'lasso.a must be one of accepted, refused, off-site, got maybe',
    )
  })

  it('the repository file parses', () => {
    expect(Object.keys(readExpected()).length).toBeGreaterThan(0)
  })
})

describe('the attack table', () => {
  it('marks refusals, expected acceptances, findings with their severity, and too-strict SPs', () => {
    expect(mark(undefined)).toBe('–')
    expect(mark(line('x'))).toBe('·')
    expect(mark(line('x', { verdict: 'accepted' }))).toBe('✓')
    expect(mark(line('x', { verdict: 'accepted', finding: true }))).toBe('**bypass**')
    expect(mark(line('x', { verdict: 'accepted', finding: true, takeover: true }))).toBe(
      '**bypass** (takeover)',
    )
    expect(mark(line('x', { verdict: 'accepted', finding: true, severity: 'hardening' }))).toBe(
      'hardening',
    )
    expect(mark(line('x', { verdict: 'refused', finding: true, severity: 'info' }))).toBe(
      'too strict',
    )
    expect(mark(line('x', { verdict: 'off-site', finding: true, severity: 'hardening' }))).toBe(
      'hardening (off-site)',
    )
  })

  it('counts each SP’s findings and spells out its bypasses', () => {
    const table = renderAttackTable(
      [
        {
          sp: 'a',
          title: 'SP A',
          lines: [
            line('forged-saml-xsw4', {
              verdict: 'accepted',
              finding: true,
              takeover: true,
              identity: 'the final page shows the forged identity mallory',
            }),
            line('forged-saml-rsa-sha1', {
              verdict: 'accepted',
              finding: true,
              severity: 'hardening',
            }),
          ],
        },
        { sp: 'b', title: 'SP B', lines: [line('forged-saml-xsw4')] },
      ],
      { date: '2026-12-06' },
    )
    expect(table).toContain('| case | # | SP A | SP B |')
    expect(table).toContain('| **findings** | | 1 bypass, 1 hardening | 0 bypass, 0 hardening |')
    expect(table).toContain('| `forged-saml-xsw4` | 1 | **bypass** (takeover) | · |')
    expect(table).toContain('| `forged-saml-rsa-sha1` | 1 | hardening | – |')
    expect(table).toContain(
      '- SP A: `forged-saml-xsw4` — the final page shows the forged identity mallory',
    )
  })
})
