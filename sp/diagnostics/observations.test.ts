import { describe, expect, it } from 'vitest'
import { parseCertificate } from '../../core/keys/index.ts'
import { testCredentials } from '../../tests/fixtures/in-process.ts'
import { certificateCheck, clockOffsetCheck } from './observations.ts'

const dayMs = 86_400_000

describe('diagnostics observations', () => {
  it('warns SP_IDP_CERTIFICATE_EXPIRING within 30 days of notAfter, after it and before notBefore', async () => {
    const { idp } = await testCredentials()
    const { notBefore, notAfter } = parseCertificate(idp.certificatePem)
    const at = (instant: number) => certificateCheck([idp.certificatePem], instant)
    expect(at(notAfter.getTime() - 31 * dayMs)).toMatchObject({ outcome: 'pass', warnings: [] })
    for (const instant of [
      notAfter.getTime() - 29 * dayMs,
      notAfter.getTime() + dayMs,
      notBefore.getTime() - dayMs,
    ]) {
      const check = at(instant)
      expect(check.outcome).toBe('warning')
      expect(check.warnings.map((warning) => warning.code)).toEqual(['SP_IDP_CERTIFICATE_EXPIRING'])
    }
    expect(at(notAfter.getTime() - 29 * dayMs).warnings[0]?.reason).toMatch(/expires in 2[89] days/)
  })

  it('warns SP_CLOCK_OFFSET past half the allowed skew, either way', () => {
    const now = Date.parse('2030-01-01T12:00:00Z')
    const offset = (seconds: number) =>
      clockOffsetCheck('IssueInstant', new Date(now + seconds * 1000).toISOString(), now, 60_000)
    expect(offset(29)).toMatchObject({ outcome: 'pass', warnings: [] })
    expect(offset(31).warnings).toEqual([
      expect.objectContaining({
        code: 'SP_CLOCK_OFFSET',
        evidence: { offsetSeconds: 31, skewSeconds: 60 },
      }),
    ])
    expect(offset(-45).warnings.map((warning) => warning.code)).toEqual(['SP_CLOCK_OFFSET'])
    expect(clockOffsetCheck('iat', undefined, now, 60_000).outcome).toBe('not-checked')
  })
})
