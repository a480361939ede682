import { describe, expect, it } from 'vitest'
import { authnClasses } from './classes.ts'
import { acrValuesOf, meetsRequest } from './requested-context.ts'

const { password, passwordProtectedTransport: ppt, mfa } = authnClasses
const other = 'urn:example:unranked'

describe('meetsRequest', () => {
  it('exact: only a class named, ranked or not', () => {
    expect(meetsRequest(mfa, { classRefs: [mfa], comparison: 'exact' })).toBe(true)
    expect(meetsRequest(ppt, { classRefs: [mfa], comparison: 'exact' })).toBe(false)
    expect(meetsRequest(mfa, { classRefs: [ppt], comparison: 'exact' })).toBe(false)
    expect(meetsRequest(other, { classRefs: [ppt, other], comparison: 'exact' })).toBe(true)
  })

  it('minimum: as strong as one named, or stronger', () => {
    expect(meetsRequest(mfa, { classRefs: [mfa], comparison: 'minimum' })).toBe(true)
    expect(meetsRequest(mfa, { classRefs: [ppt], comparison: 'minimum' })).toBe(true)
    expect(meetsRequest(ppt, { classRefs: [mfa], comparison: 'minimum' })).toBe(false)
    expect(meetsRequest(ppt, { classRefs: [password], comparison: 'minimum' })).toBe(true)
  })

  it('better: stronger than one named, never equal', () => {
    expect(meetsRequest(mfa, { classRefs: [ppt], comparison: 'better' })).toBe(true)
    expect(meetsRequest(ppt, { classRefs: [ppt], comparison: 'better' })).toBe(false)
    expect(meetsRequest(mfa, { classRefs: [mfa], comparison: 'better' })).toBe(false)
  })

  it('maximum: no stronger than one named', () => {
    expect(meetsRequest(ppt, { classRefs: [mfa], comparison: 'maximum' })).toBe(true)
    expect(meetsRequest(mfa, { classRefs: [ppt], comparison: 'maximum' })).toBe(false)
    expect(meetsRequest(password, { classRefs: [ppt], comparison: 'maximum' })).toBe(true)
  })

  it('nothing stated, or an unranked class outside exact, meets nothing', () => {
    expect(meetsRequest(undefined, { classRefs: [ppt], comparison: 'minimum' })).toBe(false)
    expect(meetsRequest(other, { classRefs: [ppt], comparison: 'minimum' })).toBe(false)
    expect(meetsRequest(mfa, { classRefs: [other], comparison: 'minimum' })).toBe(false)
  })
})

describe('acrValuesOf', () => {
  it('names the classes that meet the request', () => {
    expect(acrValuesOf({ classRefs: [mfa], comparison: 'exact' })).toEqual([mfa])
    expect(acrValuesOf({ classRefs: [ppt], comparison: 'minimum' })).toEqual([ppt, mfa])
    expect(acrValuesOf({ classRefs: [ppt], comparison: 'better' })).toEqual([mfa])
    expect(acrValuesOf({ classRefs: [ppt], comparison: 'maximum' })).toEqual([ppt, password])
  })
})
