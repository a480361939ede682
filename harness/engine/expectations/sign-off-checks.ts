import * as z from 'zod'
import { defineCheck } from './expectation.ts'

/** Where the visitor is signed in, campaign by campaign, and what the IdP and SP logged. */
export const signOffChecks = {
  /**
   * The SP has (true) or has not (false) a session for this browser in each campaign named
   * (its id; the root campaign is `default` unless the setup names it otherwise; `other:<id>`
   * for a campaign of the scenario's other SP): single sign-off across campaigns and SPs.
   */
  'signed in at': defineCheck({
    schema: z.record(z.string(), z.boolean()),
    async check(expected, { world, driver, compare }) {
      for (const [campaign, signedIn] of Object.entries(expected)) {
        const other = campaign.startsWith('other:')
        const sp = other ? world.otherSp : world.sp
        const connection = sp?.campaigns.get(other ? campaign.slice('other:'.length) : campaign)
        if (!connection) {
          compare(`signed in at ${campaign}`, signedIn, '(no such campaign)')
          continue
        }
        const token = await driver.cookie(`${connection.config.baseUrl}/`, connection.sessionCookie)
        compare(`signed in at ${campaign}`, signedIn, connection.peekSession(token) !== undefined)
      }
    },
  }),

  /** A line of the IdP's or the SP's log contains each of these (e.g. a refusal's code). */
  log: defineCheck({
    schema: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    check(expected, { world, compare }) {
      for (const text of Array.isArray(expected) ? expected : [expected]) {
        const found = world.log.some((line) => line.includes(text))
        compare(`log contains "${text}"`, true, found)
      }
    },
  }),
}
