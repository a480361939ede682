import type { Element } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { acsContextFor, checkedAt, refusalOf } from '../../../tests/fixtures/acs-context.ts'
import { checkConditions } from './check-conditions.ts'

const saml = 'urn:oasis:names:tc:SAML:2.0:assertion'
const conditionsOf = (ctx: { assertion?: Element }) =>
  ctx.assertion?.getElementsByTagNameNS(saml, 'Conditions').item(0) as Element

describe('checkConditions', () => {
  it('passes a window around now and this SP as the audience', async () => {
    const ctx = await acsContextFor(checkConditions)
    expect(() => checkConditions(ctx)).not.toThrow()
  })

  it('refuses an Assertion without Conditions', async () => {
    const ctx = await acsContextFor(checkConditions)
    ctx.assertion?.removeChild(conditionsOf(ctx))
    expect(refusalOf(() => checkConditions(ctx))).toEqual({
      code: 'SAML_CONDITIONS_MISSING',
      check: 'Conditions',
    })
  })

  it('refuses NotBefore beyond the skew ahead, and accepts it within', async () => {
    const ctx = await acsContextFor(checkConditions)
    conditionsOf(ctx).setAttribute('NotBefore', new Date(checkedAt + 61_000).toISOString())
    expect(refusalOf(() => checkConditions(ctx))).toEqual({
      code: 'SAML_NOT_YET_VALID',
      check: 'Conditions NotBefore',
    })
    conditionsOf(ctx).setAttribute('NotBefore', new Date(checkedAt + 60_000).toISOString())
    expect(() => checkConditions(ctx)).not.toThrow()
  })

  it('refuses NotOnOrAfter passed by more than the skew: the bound is exclusive', async () => {
    const ctx = await acsContextFor(checkConditions)
    conditionsOf(ctx).setAttribute('NotOnOrAfter', new Date(checkedAt - 60_000).toISOString())
    expect(refusalOf(() => checkConditions(ctx))).toEqual({
      code: 'SAML_EXPIRED',
      check: 'Conditions NotOnOrAfter',
    })
    conditionsOf(ctx).setAttribute('NotOnOrAfter', new Date(checkedAt - 59_999).toISOString())
    expect(() => checkConditions(ctx)).not.toThrow()
  })

  it('refuses another audience, and no AudienceRestriction, as SAML_AUDIENCE_MISMATCH', async () => {
    const other = await acsContextFor(checkConditions, {
      edit: (content) => {
        content.assertion.audience = 'https://other-sp.example/metadata'
      },
    })
    expect(refusalOf(() => checkConditions(other))).toEqual({
      code: 'SAML_AUDIENCE_MISMATCH',
      check: 'Audience',
    })
    const none = await acsContextFor(checkConditions)
    const restriction = conditionsOf(none)
      .getElementsByTagNameNS(saml, 'AudienceRestriction')
      .item(0) as Element
    conditionsOf(none).removeChild(restriction)
    expect(refusalOf(() => checkConditions(none))).toEqual({
      code: 'SAML_AUDIENCE_MISMATCH',
      check: 'AudienceRestriction',
    })
  })
})
