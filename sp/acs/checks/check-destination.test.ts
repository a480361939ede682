import { describe, expect, it } from 'vitest'
import { acsContextFor, refusalOf } from '../../../tests/fixtures/acs-context.ts'
import { checkDestination } from './check-destination.ts'

describe('checkDestination', () => {
  it('passes the ACS URL', async () => {
    const ctx = await acsContextFor(checkDestination)
    expect(() => checkDestination(ctx)).not.toThrow()
  })

  it('refuses another endpoint as SAML_DESTINATION_MISMATCH', async () => {
    const ctx = await acsContextFor(checkDestination, {
      edit: (content) => {
        content.destination = 'https://sp.example/other/acs'
      },
    })
    expect(refusalOf(() => checkDestination(ctx))).toEqual({
      code: 'SAML_DESTINATION_MISMATCH',
      check: 'Destination',
    })
  })

  it('lets an unsigned Response leave it out, and refuses a signed one without it', async () => {
    const unsigned = await acsContextFor(checkDestination)
    unsigned.response.removeAttribute('Destination')
    expect(() => checkDestination(unsigned)).not.toThrow()
    const signed = await acsContextFor(checkDestination, { signing: { signResponse: true } })
    expect(signed.responseSigned).toBe(true)
    signed.response.removeAttribute('Destination')
    expect(refusalOf(() => checkDestination(signed)).code).toBe('SAML_DESTINATION_MISMATCH')
  })
})
