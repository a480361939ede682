import { parse } from 'node-html-parser'
import * as z from 'zod'
import { agentCookies } from '../../../sp/agents/context.ts'
import { requireAgentSso } from '../agent-sso.ts'
import { type CheckContext, defineCheck } from './expectation.ts'

/** Agent SSO at the SP: this browser's agent session, the admin view, the agents. */
export const agentSsoChecks = {
  /** The agent session of this browser: signed in (true) or not (false). */
  'agent signed in': defineCheck({
    schema: z.boolean(),
    async check(expected, context) {
      const session = await agentSession(context)
      context.compare('agent signed in', expected, session !== undefined)
    },
  }),

  /** The login name of this browser's agent session. Implies signed in. */
  'agent signed in as': defineCheck({
    schema: z.string(),
    async check(expected, context) {
      const session = await agentSession(context)
      context.compare('agent signed in as', expected, session?.loginName ?? '(not signed in)')
    },
  }),

  /** The SP admin view warns that an agent site's IdP certificate expires within 30 days. */
  'certificate warning': defineCheck({
    schema: z.boolean(),
    async check(expected, { world, compare }) {
      requireAgentSso(world)
      const page = parse(await (await world.sp.app.request('/admin')).text())
      compare('certificate warning', expected, page.querySelector('.certificate-warning') !== null)
    },
  }),

  /**
   * The code the SP refused its changed settings with at the last restart
   * (`restart sp with agent site certificate`), or `none` when it started.
   */
  'sp start refused': defineCheck({
    schema: z.string(),
    check(expected, { world, compare }) {
      compare('sp start refused', expected, world.spStartRefused?.code ?? 'none')
    },
  }),

  /** How many agents the SP holds: unchanged proves a sign-in created none. */
  agents: defineCheck({
    schema: z.number().int().nonnegative(),
    check(expected, { world, compare }) {
      compare('agents', expected, requireAgentSso(world).agents.list().length)
    },
  }),
}

/** This browser's agent session, peeked: checking is not the agent's activity. */
async function agentSession({ world, driver }: CheckContext) {
  const token = await driver.cookie(world.spUrl, agentCookies.session)
  return requireAgentSso(world).sessions.peek(token)
}
