import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { isSsoError } from '../errors/index.ts'
import { closestName } from './did-you-mean.ts'
import { parseConfig } from './parse-config.ts'

const schema = z
  .object({
    sessionInactivityMs: z.number().optional(),
    campaigns: z.array(z.object({ id: z.string(), signIn: z.string().optional() }).strict()),
    jwt: z
      .object({ loginUrl: z.string().optional() })
      .strict()
      .optional()
      .transform((value) => value),
  })
  .strict()

function reasonOf(value: unknown): { reason: string; issues: readonly string[] } {
  try {
    parseConfig(schema, value, 'options')
  } catch (error) {
    if (!isSsoError(error) || error.code !== 'CONFIG_INVALID') throw error
    return { reason: error.reason, issues: error.evidence.issues as readonly string[] }
  }
  throw new Error('parsed')
}

describe('parseConfig', () => {
  it('names an unknown key by its own dotted path, with the setting it was probably meant to be', () => {
    expect(reasonOf({ sessionInactivtyMs: 5, campaigns: [] }).reason).toBe(
      'options: sessionInactivtyMs: unknown setting; did you mean sessionInactivityMs?',
    )
    expect(reasonOf({ campaigns: [{ id: 'a', signin: 'x' }] }).reason).toBe(
      'options: campaigns.0.signin: unknown setting; did you mean signIn?',
    )
    expect(reasonOf({ campaigns: [], jwt: { loginURL: 'x' } }).reason).toBe(
      'options: jwt.loginURL: unknown setting; did you mean loginUrl?',
    )
  })

  it('suggests nothing for a key close to none, and lists every problem in the evidence', () => {
    const { reason, issues } = reasonOf({ colour: 'red', campaigns: 'none' })
    expect(reason).toMatch(/^options: campaigns: /)
    expect(issues).toContain('colour: unknown setting')
  })
})

describe('closestName', () => {
  it('takes a typo within a third of the name, ignoring case, and nothing further away', () => {
    const known = ['sessionInactivityMs', 'clockSkewMs', 'allowUnsolicited']
    expect(closestName('sessionInactivtyMs', known)).toBe('sessionInactivityMs')
    expect(closestName('clockskewms', known)).toBe('clockSkewMs')
    expect(closestName('clockSkew', known)).toBe('clockSkewMs')
    expect(closestName('skew', known)).toBeUndefined()
    expect(closestName('colour', known)).toBeUndefined()
    expect(closestName('emial', ['email', 'name'])).toBe('email')
  })
})
