import type { Hono } from 'hono'
import type { Contact } from './accounts/contacts.ts'
import type { AgentSession } from './agents/agent-sessions.ts'
import type { Agent } from './agents/agent-store.ts'
import type { AgentSite, AgentSsoContext } from './agents/context.ts'
import { agentMetadata } from './agents/create-agent-sso.ts'
import type { CampaignSettings } from './campaigns/settings.ts'
import type { SpConnection } from './connection.tsx'
import type { ResolvedSpOptions, SpOptions } from './options.ts'
import type { SpSession } from './session/sp-sessions.ts'
import type { SpDatabase } from './store/database.ts'

/** One campaign of the SP: its visitor rules and its protocol connection. */
export interface SpCampaign {
  /** The visitor rules as validated: id, name, sign-in option, survey, mappings, routing. */
  readonly settings: CampaignSettings
  /** The connection's settings and the URL of each endpoint (under /c/<id>/ but for the root). */
  readonly config: ResolvedSpOptions
  /** '' for the campaign at the SP's root, `/c/<id>` for the others. */
  readonly pathPrefix: string
  /** The name of this campaign's visitor session cookie. */
  readonly sessionCookie: string
  /** The connection's SAML metadata XML, to hand to the IdP. */
  metadata(): string
  /** The visitor session behind a session cookie's value, read without counting as activity. */
  peekSession(token: string | undefined): SpSession | undefined
}

/** Agent SSO as a test or script may read it: sites, agents, agent sessions, the SAML metadata. */
export interface SpAgentSso {
  readonly sites: ReadonlyMap<string, AgentSite>
  readonly agents: {
    list(siteId?: string): Agent[]
    find(siteId: string, loginName: string): Agent | undefined
  }
  /**
   * The agent session behind the agent session cookie's value, without counting as activity;
   * none once its agent is deprovisioned or disabled.
   */
  readonly sessions: { peek(token: string | undefined): AgentSession | undefined }
  /** The agent side's own SAML metadata (an SP of its own at the IdP). */
  metadata(): string
}

/**
 * The reference SP as `createSp` returns it: the app to serve, and what a test, a script or the
 * scenario engine may read — the root campaign's settings, sessions and contacts, every
 * campaign, agent SSO. The SP's internal state stays behind it.
 */
export interface Sp {
  /** The SP as a Hono app: `app.fetch` for a server, `app.request(path)` in-process. */
  readonly app: Hono
  /** The root campaign's connection settings as validated, defaults filled in, and its URLs. */
  readonly config: ResolvedSpOptions
  /** The root campaign's SAML metadata XML, to hand to the IdP. */
  metadata(): string
  /** The root campaign's visitor session cookie: its name. */
  readonly sessionCookie: string
  /** The root campaign's visitor sessions, by that cookie's value, read without counting as activity. */
  readonly sessions: { peek(token: string | undefined): SpSession | undefined }
  /** The accounts sign-ins matched or created (shared by every campaign). */
  readonly contacts: {
    get(id: number): Contact | undefined
    findByExternalId(externalId: string): Contact | undefined
  }
  /** Every campaign by id, the root one first. */
  readonly campaigns: ReadonlyMap<string, SpCampaign>
  /** The SP database: hand it to another createSp to restart over the same data. */
  readonly database: SpDatabase
  /** Agent SSO, when `agentSso` is configured. */
  readonly agentSso: SpAgentSso | undefined
  /** What createSp was given: createSp({ ...sp.options, database: sp.database }) is a restart. */
  readonly options: SpOptions
  /** Closes the database when createSp opened it itself. */
  close(): void
}

export function campaignFacade(connection: SpConnection): SpCampaign {
  const { context } = connection
  return {
    settings: context.campaign,
    config: context.options,
    pathPrefix: context.pathPrefix,
    sessionCookie: context.cookies.session,
    metadata: connection.metadata,
    peekSession: context.sessions.peek,
  }
}

export function agentSsoFacade(ctx: AgentSsoContext): SpAgentSso {
  return {
    sites: ctx.sites,
    agents: { list: ctx.agents.list, find: ctx.agents.find },
    sessions: {
      // As the console sees it (agents/current-agent.ts): a session of an agent deprovisioned or
      // disabled since gives no access, so it does not count.
      peek(token) {
        const session = ctx.sessions.peek(token)
        const agent = session ? ctx.agents.get(session.agentId) : undefined
        return agent && !agent.disabled ? session : undefined
      },
    },
    metadata: () => agentMetadata(ctx),
  }
}
