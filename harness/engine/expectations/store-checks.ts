import * as z from 'zod'
import { agentCookies } from '../../../sp/agents/context.ts'
import { spCookieNames, visitorCookie } from '../../../sp/session/cookies.ts'
import { defineCheck } from './expectation.ts'

/** A JWS (an ID token, a sign-in token) or a SAML Assertion, as they travel. */
const tokenShapes = [/eyJ[\w-]{8,}\.[\w-]{8,}\./, /<(?:[\w-]+:)?Assertion[\s>]/]

/** What the reference SP keeps at rest about this browser (catalogue case 37). */
export const storeChecks = {
  /**
   * `none`: no row of any table of the SP database holds the value of one of this browser's SP
   * cookies (session, pending request, pre-login, username question, visitor, agent), nor a
   * JWT or a SAML Assertion — only digests and sealed values.
   */
  'secrets at rest': defineCheck({
    schema: z.literal('none'),
    async check(_, { world, driver, compare }) {
      const names = [...Object.values(spCookieNames(undefined)), visitorCookie]
      const values = [
        ...(await Promise.all(names.map((name) => driver.cookie(world.spUrl, name)))),
        ...(await Promise.all(
          [agentCookies.session, agentCookies.pending].map((name) =>
            driver.cookie(`${world.spUrl}/agent`, name),
          ),
        )),
      ].filter((value): value is string => value !== undefined && value.length >= 12)
      const db = world.sp.database
      const tables = db
        .prepare<[], { name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .all()
      const found = new Set<string>()
      for (const { name } of tables) {
        for (const row of db.prepare(`SELECT * FROM "${name}"`).all()) {
          const text = JSON.stringify(row)
          if (values.some((value) => text.includes(value))) found.add(`${name}: a cookie value`)
          if (tokenShapes.some((shape) => shape.test(text))) found.add(`${name}: a token`)
        }
      }
      compare('secrets at rest', 'none', found.size === 0 ? 'none' : [...found].sort())
    },
  }),
}
