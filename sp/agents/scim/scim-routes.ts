import type { Context } from 'hono'
import { Hono } from 'hono'
import { sameSecret } from '../../../core/http/guard/admin.ts'
import type { Agent } from '../agent-store.ts'
import type { AgentSite, AgentSsoContext } from '../context.ts'
import { ScimError } from './scim-error.ts'
import { userNameFilter } from './scim-filter.ts'
import { readActivePatch, readScimUser, scimSchemas, toScimUser } from './scim-user.ts'

type ScimEnv = { Variables: { site: AgentSite } }

/**
 * SCIM 2.0 (RFC 7643, RFC 7644) for agents, mounted at /scim/v2 when agent SSO is configured:
 * an identity provider provisions agents before their first SSO sign-in and deprovisions them.
 * The bearer token names the site (each site its own `scimToken`; compared as digests in
 * constant time) and a token sees its own site's agents only. The request guard's API checks
 * run first (Host, same origin, JSON or SCIM JSON bodies).
 *   POST   /scim/v2/Users                           create (userName = login name)   201, Location
 *   GET    /scim/v2/Users?filter=userName eq "…"     list, the one filter supported
 *   GET    /scim/v2/Users/:id                       one agent
 *   PUT    /scim/v2/Users/:id                       replace name, email, active (userName fixed)
 *   PATCH  /scim/v2/Users/:id                       replace active (suspend, restore)
 *   DELETE /scim/v2/Users/:id                       deprovision: the agent is gone, their sessions end
 * Deprovisioned or inactive agents are refused at SSO sign-in (AGENT_UNKNOWN, AGENT_DISABLED).
 */
export function scimRoutes(ctx: AgentSsoContext) {
  const app = new Hono<ScimEnv>()
  const { agents, options } = ctx
  const base = `${options.baseUrl}/scim/v2/Users`
  app.onError((error, c) => {
    if (!(error instanceof ScimError)) throw error
    if (error.status === 401) c.header('WWW-Authenticate', 'Bearer realm="ssoproof SCIM"')
    return scim(c, error.body(), error.status)
  })
  app.use('*', async (c, next) => {
    c.set('site', siteOfToken(ctx, c.req.header('authorization')))
    await next()
  })
  const ownAgent = (c: Context<ScimEnv>): Agent => {
    const id = Number(c.req.param('id'))
    const agent = Number.isSafeInteger(id) ? agents.get(id) : undefined
    if (!agent || agent.siteId !== c.get('site').id) {
      throw new ScimError(404, 'no such User', undefined)
    }
    return agent
  }
  app.post('/Users', async (c) => {
    const site = c.get('site')
    const input = readScimUser(await readBody(c.req.raw))
    if (agents.find(site.id, input.loginName)) {
      throw new ScimError(409, 'a User with this userName exists', 'uniqueness')
    }
    const agent = agents.create({
      siteId: site.id,
      loginName: input.loginName,
      name: input.name,
      email: input.email,
      disabled: !input.active,
    })
    options.log(`SP SCIM: agent ${agent.loginName} of site ${site.id} provisioned`)
    c.header('Location', `${base}/${agent.id}`)
    return scim(c, toScimUser(agent, `${base}/${agent.id}`), 201)
  })
  app.get('/Users', (c) => {
    const site = c.get('site')
    const filter = c.req.query('filter')
    const loginName = filter === undefined ? undefined : userNameFilter(filter)
    const found =
      loginName === undefined
        ? agents.list(site.id)
        : [agents.find(site.id, loginName)].filter((agent) => agent !== undefined)
    return scim(c, {
      schemas: [scimSchemas.listResponse],
      totalResults: found.length,
      startIndex: 1,
      itemsPerPage: found.length,
      Resources: found.map((agent) => toScimUser(agent, `${base}/${agent.id}`)),
    })
  })
  app.get('/Users/:id', (c) => {
    const agent = ownAgent(c)
    return scim(c, toScimUser(agent, `${base}/${agent.id}`))
  })
  app.put('/Users/:id', async (c) => {
    const agent = ownAgent(c)
    const input = readScimUser(await readBody(c.req.raw))
    if (input.loginName !== agent.loginName) {
      throw new ScimError(
        400,
        'userName cannot change: it is the login name SSO matches',
        'mutability',
      )
    }
    const updated = agents.update(agent.id, {
      name: input.name,
      email: input.email,
      disabled: !input.active,
    })
    options.log(`SP SCIM: agent ${agent.loginName} of site ${agent.siteId} replaced`)
    return scim(c, toScimUser(updated, `${base}/${agent.id}`))
  })
  app.patch('/Users/:id', async (c) => {
    const agent = ownAgent(c)
    const active = readActivePatch(await readBody(c.req.raw))
    const updated = agents.update(agent.id, { disabled: !active })
    options.log(
      `SP SCIM: agent ${agent.loginName} of site ${agent.siteId} ${active ? 'activated' : 'deactivated'}`,
    )
    return scim(c, toScimUser(updated, `${base}/${agent.id}`))
  })
  app.delete('/Users/:id', (c) => {
    const agent = ownAgent(c)
    agents.remove(agent.id)
    options.log(`SP SCIM: agent ${agent.loginName} of site ${agent.siteId} deprovisioned`)
    return c.body(null, 204)
  })
  app.all('*', () => {
    throw new ScimError(404, 'this SCIM service offers /Users only', undefined)
  })
  return app
}

/** RFC 7644 §8.1: SCIM answers are `application/scim+json`. */
function scim(c: Context, body: unknown, status: 200 | 201 | 400 | 401 | 404 | 409 = 200) {
  return c.body(JSON.stringify(body), status, { 'Content-Type': 'application/scim+json' })
}

/** The site whose SCIM token this is (RFC 6750 §2.1 bearer token); none: 401. */
function siteOfToken(ctx: AgentSsoContext, header: string | undefined): AgentSite {
  const sent = /^Bearer +([\x21-\x7e]+) *$/i.exec(header ?? '')?.[1]
  const site =
    sent === undefined
      ? undefined
      : [...ctx.sites.values()].find(
          (each) => each.scimToken !== undefined && sameSecret(sent, each.scimToken),
        )
  if (!site) throw new ScimError(401, 'a SCIM call needs the bearer token of an agent site')
  return site
}

async function readBody(request: Request): Promise<unknown> {
  try {
    return await request.json()
  } catch {
    throw new ScimError(400, 'the body is not valid JSON', 'invalidSyntax')
  }
}
