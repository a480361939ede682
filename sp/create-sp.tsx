import { Hono } from 'hono'
import { requestGuard } from '../core/http/guard/request-guard.ts'
import { mountLazily } from '../core/http/lazy-routes.ts'
import { createContactStore } from './accounts/contacts.ts'
import { createAgentSso } from './agents/create-agent-sso.ts'
import { mountAgentSso } from './agents/mount-agent-sso.tsx'
import { campaignSettingsSchema } from './campaigns/settings.ts'
import { createConnection, type SpConnection } from './connection.tsx'
import { parseSpOptions, resolveConnection, type SpOptions } from './options.ts'
import { type SiteLink, siteLinks } from './pages/site-links.tsx'
import { spRoutes } from './request-routes.ts'
import { agentSsoFacade, campaignFacade, type Sp } from './sp-facade.ts'
import { openSpDatabase } from './store/database.ts'

export type { Sp, SpCampaign } from './sp-facade.ts'

const campaignKeys = Object.keys(campaignSettingsSchema.shape)

/**
 * The reference SP as a Hono app: the root campaign's routes at `/` (connection.tsx lists them)
 * and every further campaign's under `/c/<id>/`, all over one database; at the root too, the
 * agent console, behind agent SSO when `agentSso` is configured (agents/mount-agent-sso.tsx).
 * The options are validated as a whole first (options.ts): CONFIG_INVALID names the setting.
 */
export function createSp(options: SpOptions): Sp {
  const config = parseSpOptions(options)
  const ownDatabase = config.database === undefined
  const db = config.database ?? openSpDatabase()
  const contacts = createContactStore(db)
  const links: SiteLink[] = []
  const root = createConnection(resolveConnection(config), config.campaign, {
    db,
    contacts,
    pathPrefix: '',
    guard: requestGuard({
      baseUrls: [config.baseUrl],
      routes: spRoutes,
      adminToken: config.adminToken,
      random: config.random,
    }),
    siteLinks: links,
  })
  const connections = new Map<string, SpConnection>([[config.campaign.id, root]])
  for (const campaign of config.campaigns) {
    const settings = campaignSettingsSchema.parse(
      Object.fromEntries(Object.entries(campaign).filter(([key]) => campaignKeys.includes(key))),
    )
    const pathPrefix = `/c/${campaign.id}`
    const created = createConnection(resolveConnection(config, campaign), settings, {
      db,
      contacts,
      pathPrefix,
      siteLinks: links,
    })
    connections.set(campaign.id, created)
    root.app.route(pathPrefix, created.app)
    // The campaign's home is /c/<id>/ too, as its post-logout and logout-return URLs spell it.
    root.app.get(`${pathPrefix}/`, (c) => {
      const home = new URL(c.req.url)
      home.pathname = '/'
      return created.app.fetch(new Request(home, c.req.raw))
    })
  }
  const agentSso = config.agentSso
    ? createAgentSso(config.agentSso, { db, options: root.context.options })
    : undefined
  const agentOf = agentSso ? mountAgentSso(root.app, agentSso) : undefined
  // The agent console, the admin API and check-all load on their first request (lazy-routes.ts).
  mountLazily(root.app, ['/agent', '/agent/*'], async () => {
    const { mountAgentConsole } = await import('./console/mount-agent-console.tsx')
    const agentConsole = new Hono()
    mountAgentConsole(agentConsole, {
      db,
      campaigns: connections,
      contacts,
      clock: root.context.options.clock,
      ...(agentOf ? { agentOf } : {}),
    })
    return agentConsole
  })
  mountLazily(root.app, ['/admin', '/admin/*'], async () => {
    const { accountAdminRoutes } = await import('./accounts/admin-routes.ts')
    return new Hono().route(
      '/admin',
      accountAdminRoutes({
        contacts,
        clock: root.context.options.clock,
        log: root.context.options.log,
      }),
    )
  })
  if (config.checkAll) {
    mountLazily(root.app, ['/check-all', '/check-all/*'], async () => {
      const [{ mountCheckAll }] = await Promise.all([
        import('./diagnostics/check-all.tsx'),
        root.loadShared(),
      ])
      const checkAll = new Hono()
      mountCheckAll(checkAll, root.context)
      return checkAll
    })
  }
  links.push(
    ...siteLinks({
      campaigns: [...connections.values()].map(({ context }) => ({
        name: context.campaign.name,
        pathPrefix: context.pathPrefix,
      })),
      agentConsole: true,
      admin: agentSso !== undefined,
      diagnostics: root.context.options.diagnostics,
      checkAll: config.checkAll === true,
    }),
  )
  const campaigns = new Map([...connections].map(([id, each]) => [id, campaignFacade(each)]))
  return {
    app: root.app,
    config: root.context.options,
    metadata: root.metadata,
    sessionCookie: root.context.cookies.session,
    sessions: { peek: root.context.sessions.peek },
    contacts: { get: contacts.get, findByExternalId: contacts.findByExternalId },
    campaigns,
    database: db,
    agentSso: agentSso ? agentSsoFacade(agentSso) : undefined,
    options,
    close() {
      if (ownDatabase && db.open) db.close()
    },
  }
}
