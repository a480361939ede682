import { describe, expect, it } from 'vitest'
import { acsContextFor, refusalOf } from '../../../tests/fixtures/acs-context.ts'
import { checkInResponseTo } from './check-in-response-to.ts'

const unsolicited = {
  edit: (content: { inResponseTo: string | undefined }) => {
    content.inResponseTo = undefined
  },
}

describe('checkInResponseTo', () => {
  it('passes a Response to a request this browser is waiting for', async () => {
    const ctx = await acsContextFor(checkInResponseTo)
    expect(ctx.inResponseTo).toBe('_request1')
    expect(() => checkInResponseTo(ctx)).not.toThrow()
  })

  it('refuses an answer to a request this browser is not waiting for', async () => {
    const ctx = await acsContextFor(checkInResponseTo, {
      state: { isPendingRequest: (id) => id === '_request2' },
    })
    expect(refusalOf(() => checkInResponseTo(ctx))).toEqual({
      code: 'SAML_IN_RESPONSE_TO_UNKNOWN',
      check: 'InResponseTo',
    })
  })

  it('refuses a Response naming a request its signed confirmation does not name', async () => {
    const ctx = await acsContextFor(checkInResponseTo)
    ctx.inResponseTo = undefined
    expect(refusalOf(() => checkInResponseTo(ctx))).toEqual({
      code: 'SAML_IN_RESPONSE_TO_MISSING',
      check: 'SubjectConfirmationData InResponseTo',
    })
  })

  it('refuses an unsolicited Response while this browser waits for an answer, even if allowed', async () => {
    const ctx = await acsContextFor(checkInResponseTo, {
      ...unsolicited,
      settings: { allowUnsolicited: true },
    })
    expect(refusalOf(() => checkInResponseTo(ctx))).toEqual({
      code: 'SAML_IN_RESPONSE_TO_MISSING',
      check: 'InResponseTo',
    })
  })

  it('takes an unsolicited Response only where allowed', async () => {
    const ctx = await acsContextFor(checkInResponseTo, {
      ...unsolicited,
      state: { awaitsResponse: false },
    })
    expect(refusalOf(() => checkInResponseTo(ctx))).toEqual({
      code: 'SAML_UNSOLICITED_NOT_ALLOWED',
      check: 'InResponseTo',
    })
    ctx.settings.allowUnsolicited = true
    expect(() => checkInResponseTo(ctx)).not.toThrow()
  })

  it('notes "not checked" offline, with no request to bind to', async () => {
    const ctx = await acsContextFor(checkInResponseTo, { state: { isPendingRequest: null } })
    checkInResponseTo(ctx)
    expect(ctx.notCheckedReasons).toEqual([
      'no AuthnRequest to bind to; the Response answers "_request1"',
    ])
  })
})
