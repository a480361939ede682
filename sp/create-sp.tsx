import type { Hono } from 'hono'
import { parseConfig } from '../core/config/parse-config.ts'
import { SsoError } from '../core/errors/index.ts'
import { createContactStore } from './accounts/contacts.ts'
import type { AgentSsoContext } from './agents/context.ts'
import { createAgentSso } from './agents/create-agent-sso.ts'
import { mountAgentSso } from './agents/mount-agent-sso.tsx'
import { campaignSettingsSchema } from './campaigns/settings.ts'
import { createConnection, type SpConnection } from './connection.tsx'
import { mountAgentConsole } from './console/mount-agent-console.tsx'
import type { SpContext } from './context.ts'
import { connectionKeys, resolveSpOptions, type SpOptions } from './options.ts'
import { openSpDatabase, type SpDatabase } from './store/database.ts'

export interface Sp {
  app: Hono
  /** The campaign at the SP's root. */
  context: SpContext
  /** The root campaign's SAML metadata XML, to hand to the IdP. */
  metadata(): string
  /** Every campaign connection by campaign id, the root one first. */
  campaigns: Map<string, SpConnection>
  database: SpDatabase
  /** Agent SSO's sites, agents and sessions, when `agentSso` is configured. */
  agentSso: AgentSsoContext | undefined
  /** What createSp was given: createSp({ ...sp.options, database: sp.database }) is a restart. */
  options: SpOptions
  /** Closes the database when createSp opened it itself. */
  close(): void
}

/**
 * The reference SP as a Hono app: the root campaign's routes at `/` (connection.tsx lists them)
 * and every further campaign's under `/c/<id>/`, all over one database; at the root too, the
 * agent console, behind agent SSO when `agentSso` is configured (agents/mount-agent-sso.tsx).
 */
export function createSp(options: SpOptions): Sp {
  const ownDatabase = options.database === undefined
  const db = options.database ?? openSpDatabase()
  const contacts = createContactStore(db)
  const rootCampaign = parseConfig(campaignSettingsSchema, options.campaign ?? {}, 'campaign')
  const root = createConnection(resolveSpOptions(options), rootCampaign, {
    db,
    contacts,
    pathPrefix: '',
  })
  const campaigns = new Map<string, SpConnection>([[rootCampaign.id, root]])
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  for (const [index, input] of (options.campaigns ?? []).entries()) {
    const connection: Partial<SpOptions> = {}
    const settings: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(input)) {
      if ((connectionKeys as readonly string[]).includes(key)) {
        ;(connection as Record<string, unknown>)[key] = value
      } else settings[key] = value
    }
    const campaign = parseConfig(campaignSettingsSchema, settings, `campaigns.${index}`)
    if (campaigns.has(campaign.id)) {
      throw new SsoError(
        'CONFIG_INVALID',
        `campaigns.${index}.id`,
        `campaigns.${index}.id: campaign "${campaign.id}" is defined twice`,
        {
          source: `campaigns.${index}.id`,
        },
      )
    }
    const { entityId: _rootEntityId, ...inherited } = options
    const pathPrefix = `/c/${campaign.id}`
    const resolved = resolveSpOptions({
      ...inherited,
      ...connection,
      baseUrl: `${baseUrl}${pathPrefix}`,
    })
    const created = createConnection(resolved, campaign, { db, contacts, pathPrefix })
    campaigns.set(campaign.id, created)
    root.app.route(pathPrefix, created.app)
    // The campaign's home is /c/<id>/ too, as its post-logout and logout-return URLs spell it.
    root.app.get(`${pathPrefix}/`, (c) => {
      const home = new URL(c.req.url)
      home.pathname = '/'
      return created.app.fetch(new Request(home, c.req.raw))
    })
  }
  const agentSso = options.agentSso
    ? createAgentSso(options.agentSso, { db, options: root.context.options })
    : undefined
  const agentOf = agentSso ? mountAgentSso(root.app, agentSso) : undefined
  mountAgentConsole(root.app, {
    db,
    campaigns,
    contacts,
    clock: root.context.options.clock,
    ...(agentOf ? { agentOf } : {}),
  })
  return {
    app: root.app,
    context: root.context,
    metadata: root.metadata,
    campaigns,
    database: db,
    agentSso,
    options,
    close() {
      if (ownDatabase && db.open) db.close()
    },
  }
}
