import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { sameOriginPath } from '../login/return-path.ts'
import type { AgentSession } from './agent-sessions.ts'
import type { Agent } from './agent-store.ts'
import { type AgentSsoContext, agentCookies } from './context.ts'

/**
 * The signed-in agent of this browser: a live session (reading it counts as activity) whose
 * agent is still provisioned and enabled. Disabling an agent ends their access at once.
 */
export function currentAgent(
  ctx: AgentSsoContext,
  c: Context,
): { session: AgentSession; agent: Agent } | undefined {
  const token = getCookie(c, agentCookies.session)
  const session = ctx.sessions.touch(token)
  if (!session) return undefined
  const agent = ctx.agents.get(session.agentId)
  if (!agent || agent.disabled) {
    ctx.sessions.delete(token)
    return undefined
  }
  return { session, agent }
}

/** Where an agent goes once signed in: a same-origin `return_url`, else the console. */
export function agentReturnPath(value: string | undefined, ctx: AgentSsoContext): string {
  return value === undefined || value === '' ? '/agent' : sameOriginPath(value, ctx.options.baseUrl)
}
