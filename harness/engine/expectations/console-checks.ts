import * as z from 'zod'
import { agentConsole } from '../agent-console.ts'
import { defineCheck } from './expectation.ts'

const noConversation = '(no open conversation)'

/** What the SP's agent console shows of the visitor, read as an agent (a browser of its own). */
export const consoleChecks = {
  /** How many contacts (accounts) the SP holds: 0 proves a refused sign-in stored nothing. */
  contacts: defineCheck({
    schema: z.number().int().nonnegative(),
    check(expected, { world, compare }) {
      const row = world.sp.database.prepare('SELECT count(*) AS n FROM contacts').get() as {
        n: number
      }
      compare('contacts', expected, row.n)
    },
  }),

  /** The team the visitor's latest conversation is routed to. */
  team: defineCheck({
    schema: z.string(),
    async check(expected, { world, compare }) {
      const page = await agentConsole(world).latest()
      const team = page?.document.querySelector('#team')?.text.trim()
      compare('team', expected, page ? (team ?? '') : noConversation)
    },
  }),

  /** How the agent console shows the visitor's latest conversation. */
  conversation: defineCheck({
    schema: z
      .object({
        /** The verified badge of a signed-in visitor. */
        verified: z.boolean().optional(),
        /** The external ID next to the visitor's name; `none` for a guest. */
        'external id': z.string().optional(),
        /** How many messages it holds, all authors. */
        messages: z.number().int().nonnegative().optional(),
        /**
         * The contact fields the console shows, by field (`email`, `variable:membershipLevel`):
         * the value the agent reads; `''` for a field shown as not sent; `absent` for no row.
         */
        fields: z.record(z.string(), z.string()).optional(),
      })
      .strict(),
    async check(expected, { world, compare }) {
      const page = await agentConsole(world).latest()
      const document = page?.document
      if (expected.verified !== undefined) {
        const shown = document?.querySelector('#verified') !== null
        compare('conversation verified', expected.verified, page ? shown : noConversation)
      }
      if (expected['external id'] !== undefined) {
        const shown = document?.querySelector('#external-id')?.text.trim() ?? 'none'
        compare('conversation external id', expected['external id'], page ? shown : noConversation)
      }
      if (expected.messages !== undefined) {
        const count = document?.querySelectorAll('#messages .message').length
        compare('conversation messages', expected.messages, page ? count : noConversation)
      }
      for (const [field, value] of Object.entries(expected.fields ?? {})) {
        const row = document?.querySelector(
          `#contact tr[data-field="${field.replaceAll('"', '\\"')}"]`,
        )
        const shown = !row
          ? 'absent'
          : row.getAttribute('data-sent') === '0'
            ? ''
            : row.querySelector('td')?.text.trim()
        compare(`console field ${field}`, value, page ? shown : noConversation)
      }
    },
  }),

  /** The agent's history search by external ID finds this many transcripts. */
  transcripts: defineCheck({
    schema: z
      .object({ 'external id': z.string().min(1), count: z.number().int().nonnegative() })
      .strict(),
    async check(expected, { world, compare }) {
      const externalId = expected['external id']
      const found = await agentConsole(world).transcripts(externalId)
      compare(`transcripts for ${externalId}`, expected.count, found)
    },
  }),
}
