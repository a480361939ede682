import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { SsoError } from '../../core/errors/index.ts'
import { tokenKey } from '../../core/store/token-key.ts'
import { requireExactIdentifier } from '../accounts/exact-identifier.ts'
import type { AgentSession } from './agent-sessions.ts'
import type { Agent } from './agent-store.ts'
import {
  type AgentSite,
  type AgentSsoContext,
  agentCookies,
  type PendingAgentSignIn,
} from './context.ts'
import { rememberedSite, requireSite } from './site-choice.ts'

/** Who the IdP says signed in, from an assertion or token that passed its own checks. */
export interface AgentIdentity {
  /** The `siteId` attribute or claim, when sent (an empty one counts as not sent). */
  siteId: string | undefined
  /** The `loginName` attribute or claim, when sent (an empty one counts as not sent). */
  loginName: string | undefined
  /** The NameID (SAML) or the token's `id`/`sub`: the login name when `loginName` is absent. */
  subject: string
}

/** An SSO sign-in arriving at the ACS or the JWT callback: its site, and the request it answers. */
export interface ArrivingSignIn {
  site: AgentSite
  pending: PendingAgentSignIn | undefined
  pendingKey: string | undefined
}

/**
 * The site an arriving sign-in is for: the one of the sign-in this browser started at
 * /agent/login, else the one it remembers. None is AGENT_SITE_UNKNOWN, shown by the SP (there is
 * no site whose login-error page could be used).
 */
export function arrivingSignIn(ctx: AgentSsoContext, c: Context): ArrivingSignIn {
  const cookie = getCookie(c, agentCookies.pending)
  const pendingKey = cookie ? tokenKey(cookie) : undefined
  const pending = pendingKey ? ctx.pending.get(pendingKey) : undefined
  const site = pending ? requireSite(ctx, pending.siteId) : rememberedSite(ctx, c)
  if (!site) {
    throw new SsoError(
      'AGENT_SITE_UNKNOWN',
      'site',
      'this browser started no agent sign-in and remembers no site',
      {},
    )
  }
  return { site, pending, pendingKey }
}

/** SSO must be on for the site, in the protocol the IdP used. */
export function requireSso(site: AgentSite, protocol: 'saml' | 'jwt'): void {
  if (!site.ssoOn) {
    throw new SsoError('AGENT_SSO_OFF', 'ssoOn', 'SSO is off for this site', { site: site.id })
  }
  if (site.protocol !== protocol) {
    throw new SsoError(
      'AGENT_PROTOCOL_MISMATCH',
      'protocol',
      `site ${site.id} signs agents in with ${site.protocol}, not ${protocol}`,
      { site: site.id, expected: site.protocol, received: protocol },
    )
  }
}

/**
 * The checks every agent SSO sign-in ends with, after the assertion or token passed its own:
 *   0. `siteId` and `loginName`, when sent, exact: no white space at their ends, no invisible
 *      character (the NameID or subject was checked with the assertion)  IDENTIFIER_LOOK_ALIKE
 *   1. `siteId`, when the IdP sends one, is the site being signed in to       AGENT_SITE_MISMATCH
 *   2. `loginName` — else the NameID or subject — names an agent of the site, exactly
 *      (case-sensitive)                              AGENT_UNKNOWN, AGENT_LOGIN_NAME_CASE_MISMATCH
 *   3. the agent is enabled                                                  AGENT_DISABLED
 * No agent is ever created here.
 */
export function findSignedInAgent(
  ctx: AgentSsoContext,
  site: AgentSite,
  identity: AgentIdentity,
): Agent {
  if (identity.siteId) requireExactIdentifier(identity.siteId, 'siteId')
  if (identity.loginName) requireExactIdentifier(identity.loginName, 'loginName')
  if (identity.siteId && identity.siteId !== site.id) {
    throw new SsoError('AGENT_SITE_MISMATCH', 'siteId', 'the IdP named another site', {
      site: site.id,
      siteId: identity.siteId.slice(0, 64),
    })
  }
  const loginName = identity.loginName || identity.subject
  const source = identity.loginName ? 'loginName' : 'NameID'
  const agent = ctx.agents.find(site.id, loginName)
  if (!agent) {
    const otherCase = ctx.agents.findIgnoringCase(site.id, loginName)
    if (otherCase) {
      throw new SsoError(
        'AGENT_LOGIN_NAME_CASE_MISMATCH',
        source,
        'the login name differs from a provisioned agent only in case',
        { site: site.id, loginName: loginName.slice(0, 256), provisioned: otherCase.loginName },
      )
    }
    throw new SsoError('AGENT_UNKNOWN', source, 'no agent of this site has this login name', {
      site: site.id,
      loginName: loginName.slice(0, 256),
    })
  }
  if (agent.disabled) {
    throw new SsoError('AGENT_DISABLED', source, 'this agent is disabled', {
      site: site.id,
      loginName: agent.loginName,
    })
  }
  return agent
}

/** Starts the agent's session (replacing any other of this browser) and goes on to `returnPath`. */
export function startAgentSession(
  ctx: AgentSsoContext,
  c: Context,
  agent: Agent,
  via: AgentSession['via'],
  returnPath: string,
) {
  ctx.sessions.delete(getCookie(c, agentCookies.session))
  const token = ctx.sessions.create({
    agentId: agent.id,
    siteId: agent.siteId,
    loginName: agent.loginName,
    via,
  })
  setCookie(c, agentCookies.session, token, {
    httpOnly: true,
    path: '/',
    sameSite: 'Lax',
    secure: ctx.options.baseUrl.startsWith('https:'),
  })
  deleteCookie(c, agentCookies.pending, { path: '/agent' })
  ctx.options.log(`SP agent ${agent.loginName} of site ${agent.siteId} signed in (${via})`)
  return c.redirect(returnPath, 303)
}

/**
 * A refused SSO sign-in: logged with its code and check (never the assertion or token), and the
 * agent is sent to the site's login-error page with `?reason=<code>` (the SP's own page when
 * the site configures none). Nothing was stored.
 */
export function refuseSignIn(ctx: AgentSsoContext, c: Context, site: AgentSite, error: SsoError) {
  ctx.options.log(
    `SP agent sign-in refused for site ${site.id}: ${error.code} at ${error.check}: ${error.reason}`,
  )
  const target = new URL(site.loginErrorUrl ?? ctx.urls.loginError)
  target.searchParams.set('reason', error.code)
  return c.redirect(target.href, 303)
}
