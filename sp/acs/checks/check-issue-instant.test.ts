import { describe, expect, it } from 'vitest'
import { acsContextFor, checkedAt, refusalOf } from '../../../tests/fixtures/acs-context.ts'
import { checkIssueInstant } from './check-issue-instant.ts'

describe('checkIssueInstant', () => {
  it('passes instants up to the clock skew ahead, and old ones', async () => {
    const ctx = await acsContextFor(checkIssueInstant, {
      edit: (content) => {
        content.issueInstant = checkedAt + 60_000
        content.assertion.notBefore = checkedAt - 3_600_000
      },
    })
    expect(() => checkIssueInstant(ctx)).not.toThrow()
    const old = await acsContextFor(checkIssueInstant, {
      edit: (content) => {
        content.issueInstant = checkedAt - 86_400_000
      },
    })
    expect(() => checkIssueInstant(old)).not.toThrow()
  })

  it('refuses a Response IssueInstant beyond the skew ahead as SAML_ISSUED_IN_FUTURE', async () => {
    const ctx = await acsContextFor(checkIssueInstant, {
      edit: (content) => {
        content.issueInstant = checkedAt + 61_000
      },
    })
    expect(refusalOf(() => checkIssueInstant(ctx))).toEqual({
      code: 'SAML_ISSUED_IN_FUTURE',
      check: 'Response IssueInstant',
    })
  })

  it('refuses an Assertion IssueInstant beyond the skew ahead', async () => {
    const ctx = await acsContextFor(checkIssueInstant)
    ctx.assertion?.setAttribute('IssueInstant', '2030-06-01T12:10:00Z')
    expect(refusalOf(() => checkIssueInstant(ctx))).toEqual({
      code: 'SAML_ISSUED_IN_FUTURE',
      check: 'Assertion IssueInstant',
    })
  })
})
