import { describe, expect, it } from 'vitest'
import { ScimError, type ScimType } from './scim-error.ts'
import { userNameFilter } from './scim-filter.ts'
import { readActivePatch, readScimUser, scimSchemas } from './scim-user.ts'

/** The refusal a parser throws, as the SCIM error body would say it. */
function refusal(parse: () => unknown): { status: number; scimType: ScimType | undefined } {
  try {
    parse()
  } catch (error) {
    if (error instanceof ScimError) return { status: error.status, scimType: error.scimType }
    throw error
  }
  throw new Error('accepted')
}

const user = (fields: Record<string, unknown>) => ({ schemas: [scimSchemas.user], ...fields })
const patch = (...Operations: unknown[]) => ({ schemas: [scimSchemas.patchOp], Operations })

describe('the SCIM filter (RFC 7644 §3.4.2.2): userName eq "…" only', () => {
  it('reads the value exactly, with JSON string escapes and any letter case of the keywords', () => {
    expect(userNameFilter('userName eq "anna"')).toBe('anna')
    expect(userNameFilter('  USERNAME EQ "Anna.B"  ')).toBe('Anna.B')
    expect(userNameFilter('userName eq "a\\"b\\\\c"')).toBe('a"b\\c')
    expect(userNameFilter('userName eq "anna "')).toBe('anna ')
    expect(userNameFilter('userName eq "\\u00e9"')).toBe('é')
  })

  it.each([
    '',
    'userName eq anna',
    'userName co "ann"',
    'userName eq "anna" or userName eq "bob"',
    'emails.value eq "a@b.example"',
    'userName eq "anna',
    'userName eq "a\\qb"',
    'userName eq "\\u12"',
    'userName  eq "a"b"',
  ])('refuses the filter %j with invalidFilter', (filter) => {
    expect(refusal(() => userNameFilter(filter))).toEqual({
      status: 400,
      scimType: 'invalidFilter',
    })
  })
})

describe('a SCIM User body (RFC 7643 §4.1)', () => {
  it('takes userName as the login name, the display or formatted name, the primary email and active', () => {
    expect(
      readScimUser(
        user({
          userName: 'anna',
          name: { formatted: 'Anna Agent' },
          emails: [{ value: 'a@work.example' }, { value: 'anna@acme.example', primary: true }],
          active: false,
          externalId: 'ignored',
        }),
      ),
    ).toEqual({ loginName: 'anna', name: 'Anna Agent', email: 'anna@acme.example', active: false })
    expect(readScimUser(user({ userName: 'bo', displayName: 'Bo' }))).toEqual({
      loginName: 'bo',
      name: 'Bo',
      email: undefined,
      active: true,
    })
  })

  it.each(
    [
      undefined,
      null,
      'anna',
      [],
      { userName: 'anna' },
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], userName: 'anna' },
      user({}),
      user({ userName: '' }),
      user({ userName: 42 }),
      user({ userName: 'anna', emails: [{ value: 'not an address' }] }),
      user({ userName: 'anna', active: 'yes' }),
      user({ userName: 'anna', displayName: '' }),
    ].map((body) => ({ body })),
  )('refuses $body, not a User, with invalidValue', ({ body }) => {
    expect(refusal(() => readScimUser(body))).toEqual({ status: 400, scimType: 'invalidValue' })
  })
})

describe('a SCIM PatchOp (RFC 7644 §3.5.2): replace active only', () => {
  it('reads active from path or value, in any op letter case, "True"/"false" strings too, the last one winning', () => {
    expect(readActivePatch(patch({ op: 'replace', path: 'active', value: false }))).toBe(false)
    expect(readActivePatch(patch({ op: 'Replace', value: { active: true } }))).toBe(true)
    expect(readActivePatch(patch({ op: 'add', path: 'active', value: 'False' }))).toBe(false)
    expect(
      readActivePatch(
        patch(
          { op: 'replace', path: 'active', value: 'false' },
          { op: 'replace', path: 'active', value: 'True' },
        ),
      ),
    ).toBe(true)
  })

  it.each(
    [
      undefined,
      {},
      { schemas: [scimSchemas.user], Operations: [{ op: 'replace', value: { active: true } }] },
      patch(),
      { schemas: [scimSchemas.patchOp], Operations: 'replace' },
      patch({ path: 'active', value: true }),
      // An operation without a value (a remove) is not one this SP reads.
      patch({ op: 'remove', path: 'active' }),
    ].map((body) => ({ body })),
  )('refuses $body, not a PatchOp, with invalidSyntax', ({ body }) => {
    expect(refusal(() => readActivePatch(body))).toEqual({ status: 400, scimType: 'invalidSyntax' })
  })

  it('refuses other operations with invalidPath, never half applied', () => {
    expect(
      refusal(() => readActivePatch(patch({ op: 'remove', path: 'active', value: true }))),
    ).toEqual({ status: 400, scimType: 'invalidPath' })
    expect(
      refusal(() =>
        readActivePatch(
          patch(
            { op: 'replace', path: 'active', value: false },
            { op: 'delete', path: 'active', value: false },
          ),
        ),
      ),
    ).toEqual({ status: 400, scimType: 'invalidPath' })
  })

  it.each([
    { op: 'replace', path: 'displayName', value: 'Anna' },
    { op: 'replace', path: 'active', value: 'yes' },
    { op: 'replace', path: 'active', value: 1 },
    { op: 'replace', value: { displayName: 'Anna' } },
    { op: 'replace', value: 'true' },
  ])('refuses the operation $op $path $value, not active, with noTarget', (operation) => {
    expect(refusal(() => readActivePatch(patch(operation)))).toEqual({
      status: 400,
      scimType: 'noTarget',
    })
  })
})
