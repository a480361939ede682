import { describe, expect, it } from 'vitest'
import { withStandardNames } from './claim-names.ts'

describe('withStandardNames', () => {
  it("reads the IdP's names as the standard ones and leaves other claims as they are", () => {
    expect(
      withStandardNames(
        { member_id: 'alice', email_address: 'a@example.com', iss: 'https://idp', email: 'x' },
        { id: 'member_id', email: 'email_address', phone: 'tel' },
      ),
    ).toEqual({ id: 'alice', email: 'a@example.com', iss: 'https://idp' })
  })

  it('takes no claim from the prototype chain and changes nothing without names', () => {
    const claims = { sub: 'bob' }
    expect(withStandardNames(claims, { id: 'toString' })).toEqual({ sub: 'bob' })
    expect(withStandardNames(claims, {})).toEqual(claims)
  })
})
