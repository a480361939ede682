import { describe, expect, it } from 'vitest'
import { statusCodes } from '../../../core/saml/constants.ts'
import { acsContextFor, refusalOf } from '../../../tests/fixtures/acs-context.ts'
import { checkStatus } from './check-status.ts'

describe('checkStatus', () => {
  it('passes a top-level Success', async () => {
    const ctx = await acsContextFor(checkStatus)
    expect(() => checkStatus(ctx)).not.toThrow()
  })

  it('refuses a Responder status, even with a Success second-level code', async () => {
    const ctx = await acsContextFor(checkStatus, {
      edit: (content) => {
        content.status = { code: statusCodes.responder, subCode: statusCodes.success }
      },
    })
    expect(refusalOf(() => checkStatus(ctx)).code).toBe('SAML_STATUS_NOT_SUCCESS')
  })

  it('refuses a Response without a StatusCode', async () => {
    const ctx = await acsContextFor(checkStatus)
    const code = ctx.response
      .getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:protocol', 'StatusCode')
      .item(0)
    code?.parentNode?.removeChild(code)
    expect(refusalOf(() => checkStatus(ctx)).check).toBe('Status')
  })
})
