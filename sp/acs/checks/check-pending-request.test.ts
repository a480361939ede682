import { describe, expect, it } from 'vitest'
import { acsContextFor, refusalOf } from '../../../tests/fixtures/acs-context.ts'
import { checkPendingRequest } from './check-pending-request.ts'

describe('checkPendingRequest', () => {
  it('passes a browser that started a sign-in here', async () => {
    const ctx = await acsContextFor(checkPendingRequest)
    expect(() => checkPendingRequest(ctx)).not.toThrow()
  })

  it('refuses a Response answering nothing at a browser that started nothing, unsolicited off', async () => {
    const ctx = await acsContextFor(checkPendingRequest, {
      edit: (content) => {
        content.inResponseTo = undefined
      },
      state: { signInStarted: false },
    })
    expect(refusalOf(() => checkPendingRequest(ctx))).toEqual({
      code: 'SAML_UNSOLICITED_NOT_ALLOWED',
      check: 'InResponseTo',
    })
    ctx.settings.allowUnsolicited = true
    expect(() => checkPendingRequest(ctx)).not.toThrow()
  })

  it('lets a Response naming a request go on to the InResponseTo check', async () => {
    const ctx = await acsContextFor(checkPendingRequest, { state: { signInStarted: false } })
    expect(() => checkPendingRequest(ctx)).not.toThrow()
  })

  it('notes "not checked" with no browser to bind to', async () => {
    const ctx = await acsContextFor(checkPendingRequest, { state: { signInStarted: undefined } })
    checkPendingRequest(ctx)
    expect(ctx.notCheckedReasons).toEqual(['no browser to bind to'])
  })
})
