import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { loadScenarioText } from '../../harness/engine/load.ts'
import { parseConfig } from './parse-config.ts'

const settings = z
  .object({
    sessionInactivityMs: z.number().optional(),
    campaigns: z
      .array(z.object({ id: z.string(), clockSkew: z.string().optional() }).strict())
      .optional(),
  })
  .strict()

describe('did-you-mean for configuration keys and scenario steps', () => {
  it('names the known key closest to a misspelt one, at any depth', () => {
    expect(() => parseConfig(settings, { sessionInactivtyMs: 5 }, 'options')).toThrow(
      'options: (root): Unrecognized key: "sessionInactivtyMs"; "sessionInactivtyMs": did you mean "sessionInactivityMs"?',
    )
    expect(() =>
      parseConfig(settings, { campaigns: [{ id: 'a', clockSkw: '60s' }] }, 'campaigns.yaml'),
    ).toThrow(/campaigns\.0: .*"clockSkw": did you mean "clockSkew"\?/)
    expect(() => parseConfig(settings, { database: 'x' }, 'options')).toThrow(
      /Unrecognized key: "database"$/,
    )
  })

  it('names the closest step', () => {
    const { issues } = loadScenarioText(
      'id: typo\ntitle: Typo\nsteps:\n  - sign inn\n  - log in: alice\n',
      'typo.yaml',
    )
    expect(issues.map((issue) => issue.message)).toEqual([
      expect.stringMatching(/^unknown step "sign inn"; did you mean "sign in"\?; steps are:/),
    ])
  })
})
