import * as z from 'zod'
import { defineCheck } from './expectation.ts'

/** Where the visitor's IdP credentials went. */
export const credentialChecks = {
  /**
   * Every party that received a password in this scenario so far: a request with a `password`
   * field (the trace), and the SP too when what it accepted for this browser's visitor holds an
   * IdP user's password as an attribute value. `[idp]` is the rule: only the IdP sees them.
   */
  'credentials sent to': defineCheck({
    schema: z.array(z.enum(['idp', 'sp', 'other-sp'])),
    async check(expected, { world, session, compare }) {
      const parties = new Set(world.trace.passwordFieldsTo)
      const passwords = new Set(
        world.idp.users.list().flatMap((user) => (user.password ? [user.password] : [])),
      )
      const values = Object.values((await session())?.subject.attributes ?? {}).flat()
      if (values.some((value) => passwords.has(value))) parties.add('sp')
      compare('credentials sent to', [...expected].sort(), [...parties].sort())
    },
  }),
}
