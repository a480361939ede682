import { type Page, UserAgent } from '../http-driver/user-agent.ts'
import { StepFailure } from './drivers/driver.ts'
import type { World } from './world.ts'

/**
 * The agent's side of a scenario: a second person, at the SP's agent console, in their own
 * browser (a cookie jar of their own, in-process whatever the visitor's driver). Steps and checks
 * read the console's pages exactly as an agent would see them.
 */
export interface AgentConsole {
  /** Submit a form (reply, sign-in request, end) on the visitor's latest open conversation. */
  act(selector: string, fields?: Record<string, string>): Promise<void>
  /** The visitor's latest open conversation's page, or undefined when none is open. */
  latest(): Promise<Page | undefined>
  /** How many transcripts the history search finds for this external ID. */
  transcripts(externalId: string): Promise<number>
}

const consoles = new WeakMap<World, AgentConsole>()

export function agentConsole(world: World): AgentConsole {
  const existing = consoles.get(world)
  if (existing) return existing
  const agent = new UserAgent({ origins: world.handlers })
  const url = (path: string) => new URL(path, world.spUrl).toString()
  const latest = async () => {
    const list = await agent.navigate(url('/agent'))
    const ids = list.document
      .querySelectorAll('.conversation[data-id]')
      .map((row) => Number(row.getAttribute('data-id')))
      .filter((id) => Number.isInteger(id))
    if (ids.length === 0) return undefined
    return agent.navigate(url(`/agent/conversations/${Math.max(...ids)}`))
  }
  const created: AgentConsole = {
    latest,
    async act(selector, fields = {}) {
      const page = await latest()
      if (!page) throw new StepFailure('the agent console shows no open conversation')
      if (!page.document.querySelector(selector)) {
        throw new StepFailure(
          `the agent's conversation page shows no form ${selector}`,
          selector,
          page.url,
        )
      }
      const after = await agent.submit(page, selector, fields)
      if (after.status >= 400) {
        throw new StepFailure(`the agent console answered ${after.status}`, 'success', after.url)
      }
    },
    async transcripts(externalId) {
      const page = await agent.navigate(
        url(`/agent/history?external_id=${encodeURIComponent(externalId)}`),
      )
      return page.document.querySelectorAll('.transcript').length
    },
  }
  consoles.set(world, created)
  return created
}
