import { Hono } from 'hono'
import * as z from 'zod'
import { parseConfig } from '../../core/config/parse-config.ts'
import { SsoError } from '../../core/errors/index.ts'
import { readJson } from '../../core/http/read-json.ts'
import type { AgentSite, AgentSsoContext } from './context.ts'
import { hashPassword } from './password-hash.ts'
import { agentInputSchema } from './settings.ts'
import { requireSite } from './site-choice.ts'
import { siteView } from './site-view.ts'

const passwordResetSchema = z
  .object({ password: agentInputSchema.shape.password.unwrap() })
  .strict()

/**
 * The SP's agent admin API (JSON; mounted at /admin when agent SSO is configured). Passwords go
 * in, are stored as scrypt hashes, and never come out or into a log line. A site whose SSO is on
 * gets no password through it: neither a new agent with one nor a reset (AGENT_PASSWORD_LOGIN_OFF).
 *   GET  /admin/agents[?site=ID]                          the provisioned agents
 *   POST /admin/agents                                    {siteId, loginName, name, email?, password?}
 *   POST /admin/agents/:siteId/:loginName/disable         the agent can no longer sign in; their sessions end
 *   PUT  /admin/agents/:siteId/:loginName/password        {password}: a reset, for a site whose SSO is off
 *   GET  /admin/agent-sites                               the sites, their certificates and warnings
 */
export function agentAdminRoutes(ctx: AgentSsoContext) {
  const app = new Hono()
  const { agents, options } = ctx
  const existing = (siteId: string, loginName: string) => {
    requireSite(ctx, siteId)
    const agent = agents.find(siteId, loginName)
    if (!agent) {
      throw new SsoError('NOT_FOUND', 'agent', 'the site has no agent with this login name', {
        siteId: siteId.slice(0, 64),
        loginName: loginName.slice(0, 256),
      })
    }
    return agent
  }
  app.get('/agents', (c) => {
    const site = c.req.query('site')
    if (site !== undefined) requireSite(ctx, site)
    return c.json({ agents: agents.list(site) })
  })
  app.post('/agents', async (c) => {
    const { password, ...input } = parseConfig(agentInputSchema, await readJson(c.req.raw), 'agent')
    const site = requireSite(ctx, input.siteId)
    if (password !== undefined) refusePasswordWhileSsoOn(site)
    const agent = agents.create({
      ...input,
      ...(password !== undefined ? { passwordHash: hashPassword(password, options.random) } : {}),
    })
    options.log(`SP admin: agent ${agent.loginName} of site ${agent.siteId} provisioned`)
    return c.json({ agent }, 201)
  })
  app.post('/agents/:siteId/:loginName/disable', (c) => {
    const { siteId, loginName } = c.req.param()
    existing(siteId, loginName)
    options.log(`SP admin: agent ${loginName} of site ${siteId} disabled`)
    return c.json({ agent: agents.setDisabled(siteId, loginName, true) })
  })
  app.put('/agents/:siteId/:loginName/password', async (c) => {
    const { siteId, loginName } = c.req.param()
    existing(siteId, loginName)
    refusePasswordWhileSsoOn(requireSite(ctx, siteId))
    const { password } = parseConfig(passwordResetSchema, await readJson(c.req.raw), 'body')
    const agent = agents.setPasswordHash(siteId, loginName, hashPassword(password, options.random))
    options.log(`SP admin: password of agent ${loginName} of site ${siteId} reset`)
    return c.json({ agent })
  })
  app.get('/agent-sites', (c) =>
    c.json({ sites: [...ctx.sites.values()].map((site) => siteView(site, options.clock.now())) }),
  )
  return app
}

/** Once SSO is on, password login is off for the site: nobody gets a password to try it with. */
function refusePasswordWhileSsoOn(site: AgentSite): void {
  if (!site.ssoOn) return
  throw new SsoError(
    'AGENT_PASSWORD_LOGIN_OFF',
    'password',
    'this site signs agents in with SSO: its agents get no password',
    { site: site.id },
  )
}
