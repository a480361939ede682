import { describe, expect, it } from 'vitest'
import { authnClasses } from './classes.ts'
import { acrValuesOf, meetsRequest } from './requested-context.ts'

const { password, passwordProtectedTransport: ppt, mfa } = authnClasses
const other = 'urn:example:unranked'
type Comparison = Parameters<typeof meetsRequest>[1]['comparison']

describe('meetsRequest', () => {
  // [comparison, stated class, classes requested, meets, why]
  const cases: [Comparison, string | undefined, string[], boolean, string][] = [
    ['exact', mfa, [mfa], true, 'the class named'],
    ['exact', ppt, [mfa], false, 'a weaker class than named'],
    ['exact', mfa, [ppt], false, 'a stronger class than named'],
    ['exact', other, [ppt, other], true, 'an unranked class named'],
    ['minimum', mfa, [mfa], true, 'as strong as one named'],
    ['minimum', mfa, [ppt], true, 'stronger than one named'],
    ['minimum', ppt, [mfa], false, 'weaker than every one named'],
    ['minimum', ppt, [password], true, 'stronger than password'],
    ['better', mfa, [ppt], true, 'stronger than one named'],
    ['better', ppt, [ppt], false, 'equal is not better'],
    ['better', mfa, [mfa], false, 'equal is not better, at the top'],
    ['maximum', ppt, [mfa], true, 'weaker than one named'],
    ['maximum', mfa, [ppt], false, 'stronger than every one named'],
    ['maximum', password, [ppt], true, 'the weakest'],
    ['minimum', undefined, [ppt], false, 'nothing stated'],
    ['minimum', other, [ppt], false, 'an unranked class outside exact'],
    ['minimum', mfa, [other], false, 'only an unranked class requested, outside exact'],
  ]
  it.each(cases)('%s: %s for %j meets it: %s (%s)', (comparison, stated, classRefs, meets) => {
    expect(meetsRequest(stated, { classRefs, comparison })).toBe(meets)
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
