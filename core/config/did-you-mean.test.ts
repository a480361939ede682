import { describe, expect, it } from 'vitest'
import { closestName, didYouMean } from './did-you-mean.ts'

describe('closestName', () => {
  const known = ['sessionInactivityMs', 'clockSkewMs', 'artifactLifetimeMs', 'baseUrl']

  it('finds a dropped, added, swapped or changed letter, ignoring case', () => {
    expect(closestName('sessionInactivtyMs', known)).toBe('sessionInactivityMs')
    expect(closestName('clockSkewMss', known)).toBe('clockSkewMs')
    expect(closestName('baesUrl', known)).toBe('baseUrl')
    expect(closestName('BASEURL', known)).toBe('baseUrl')
    expect(closestName('artefactLifetimeMs', known)).toBe('artifactLifetimeMs')
  })

  it('suggests nothing when no name is close', () => {
    expect(closestName('database', known)).toBeUndefined()
    expect(closestName('x', ['y', 'zz'])).toBe('y')
    expect(closestName('abc', ['xyz'])).toBeUndefined()
  })

  it('prefers the closest of several', () => {
    expect(closestName('shard', ['shards', 'shard2', 'hard', 'shard'])).toBe('shard')
    expect(closestName('sed', ['seed', 'sid'])).toBe('seed')
  })

  it('phrases the hint, or says nothing', () => {
    expect(didYouMean('sheard', ['shard', 'seed'])).toBe('; did you mean "shard"?')
    expect(didYouMean('qqqqqq', ['shard'])).toBe('')
  })
})
