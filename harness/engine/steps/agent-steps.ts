import * as z from 'zod'
import { agentConsole } from '../agent-console.ts'
import { requireAgentSso } from '../agent-sso.ts'
import { StepFailure } from '../drivers/driver.ts'
import { clip } from '../scenario-values.ts'
import { defineStep, noArgument } from './step.ts'

const agentCredentials = z
  .object({ site: z.string().min(1), 'login name': z.string().min(1), password: z.string() })
  .strict()

/**
 * The agent's side: answering at the agent console (a second browser of its own) and agent SSO
 * (signing in to the console, in the visitor's driver).
 */
export const agentSteps = {
  /** The agent answers in the visitor's latest conversation. */
  'agent replies': defineStep({
    schema: z.string().min(1),
    describe: (text) => `the agent replies "${clip(text, 60)}"`,
    run: (text, { world }) => agentConsole(world).act('#reply', { text }),
  }),

  /** The agent sends the guest an SSO sign-in request. */
  'agent sends sign-in request': defineStep({
    schema: noArgument(),
    describe: () => 'the agent sends a sign-in request',
    run: (_, { world }) => agentConsole(world).act('#send-sign-in-request'),
  }),

  /** The agent ends the visitor's latest conversation (its transcript is saved). */
  'agent ends conversation': defineStep({
    schema: noArgument(),
    describe: () => 'the agent ends the conversation',
    run: (_, { world }) => agentConsole(world).act('#end-conversation'),
  }),

  /** Agent SSO: this browser opens the agent login (`/agent/login`, with `?site=` when given). */
  'agent signs in': defineStep({
    schema: z
      .object({ site: z.string().min(1).optional() })
      .strict()
      .default({}),
    describe: ({ site }) =>
      site !== undefined
        ? `the agent opens the agent login for site ${site}`
        : 'the agent opens the agent login',
    run: ({ site }, { world, driver }) => {
      const url = new URL('/agent/login', world.spUrl)
      if (site !== undefined) url.searchParams.set('site', site)
      return driver.goto(url.toString())
    },
  }),

  /** Agent SSO: answer the site ID question. */
  'agent enters site id': defineStep({
    schema: z.string().min(1),
    describe: (site) => `the agent enters the site ID ${site}`,
    run: (site, { driver }) => driver.submitForm('#site-form', { site }),
  }),

  /** Agent SSO: the site's password form, filled in and sent. */
  'agent logs in with password': defineStep({
    schema: agentCredentials,
    describe: (agent) =>
      `the agent ${agent['login name']} logs in to site ${agent.site} with a password`,
    run: async (agent, { world, driver }) => {
      const url = new URL('/agent/login/password', world.spUrl)
      url.searchParams.set('site', agent.site)
      await driver.goto(url.toString())
      return driver.submitForm('#agent-password-form', {
        loginName: agent['login name'],
        password: agent.password,
      })
    },
  }),

  /** Agent SSO: "Sign out" in the agent console. */
  'agent logs out': defineStep({
    schema: noArgument(),
    describe: () => 'the agent signs out of the agent console',
    run: async (_, { world, driver }) => {
      const current = await driver.page().catch(() => undefined)
      if (!current?.html.includes('id="agent-logout"')) {
        await driver.goto(new URL('/agent', world.spUrl).toString())
      }
      return driver.submitForm('#agent-logout')
    },
  }),

  /** Agent SSO: an administrator resets an agent's password through the SP admin API. */
  'admin resets agent password': defineStep({
    schema: agentCredentials,
    describe: (agent) =>
      `an administrator resets the password of agent ${agent['login name']} of site ${agent.site}`,
    // In-process through the SP admin API, as an administrator's script would: not the browser.
    run: async (agent, { world }) => {
      requireAgentSso(world)
      const site = encodeURIComponent(agent.site)
      const loginName = encodeURIComponent(agent['login name'])
      const response = await world.sp.app.request(`/admin/agents/${site}/${loginName}/password`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password: agent.password }),
      })
      if (response.status !== 200) {
        throw new StepFailure(
          'the SP admin API refused the password reset',
          '200',
          String(response.status),
        )
      }
    },
  }),
}
