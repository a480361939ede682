import { describe, expect, it } from 'vitest'
import { acsContextFor, refusalOf } from '../../../tests/fixtures/acs-context.ts'
import { checkAssertionReplay, checkResponseReplay } from './check-replay.ts'

describe('checkResponseReplay and checkAssertionReplay', () => {
  it('pass IDs not used before', async () => {
    const response = await acsContextFor(checkResponseReplay)
    expect(() => checkResponseReplay(response)).not.toThrow()
    const assertion = await acsContextFor(checkAssertionReplay)
    expect(() => checkAssertionReplay(assertion)).not.toThrow()
  })

  it('refuse a Response ID, then an Assertion ID, already used as SAML_REPLAY', async () => {
    const response = await acsContextFor(checkResponseReplay)
    response.state.replay?.add('Response:_response1', Number.MAX_SAFE_INTEGER)
    expect(refusalOf(() => checkResponseReplay(response))).toEqual({
      code: 'SAML_REPLAY',
      check: 'Response ID',
    })
    const assertion = await acsContextFor(checkAssertionReplay)
    assertion.state.replay?.add('Assertion:_assertion1', Number.MAX_SAFE_INTEGER)
    expect(() => checkResponseReplay(assertion)).not.toThrow()
    expect(refusalOf(() => checkAssertionReplay(assertion))).toEqual({
      code: 'SAML_REPLAY',
      check: 'Assertion ID',
    })
  })

  it('note "not checked" offline, where there is no replay cache', async () => {
    const ctx = await acsContextFor(checkResponseReplay, { state: { replay: null } })
    checkResponseReplay(ctx)
    expect(ctx.notCheckedReasons).toEqual(['offline there is no replay cache to consult'])
  })
})
