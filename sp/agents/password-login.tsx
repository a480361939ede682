import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { renderHtml } from '../../core/http/render-html.ts'
import { requireExactIdentifier } from '../accounts/exact-identifier.ts'
import { PasswordLoginPage } from './agent-pages.tsx'
import { startAgentSession } from './complete-agent-sign-in.ts'
import type { AgentSite, AgentSsoContext } from './context.ts'
import { agentReturnPath } from './current-agent.ts'
import { verifyPassword } from './password-hash.ts'
import { rememberedSite, requireSite } from './site-choice.ts'

/** GET /agent/login/password[?site=ID]: the site's password form (the site as for /agent/login). */
export function showPasswordLogin(ctx: AgentSsoContext, c: Context) {
  c.header('Cache-Control', 'no-store')
  const returnPath = agentReturnPath(c.req.query('return_url'), ctx)
  const requested = c.req.query('site')
  const site = requested ? requireSite(ctx, requested) : rememberedSite(ctx, c)
  if (!site) return c.redirect(`/agent/login?return_url=${encodeURIComponent(returnPath)}`, 303)
  return c.html(renderHtml(<PasswordLoginPage site={site} returnPath={returnPath} />))
}

/**
 * POST /agent/login/password — site, loginName, password; its checks in order:
 *   1. the site exists                                            AGENT_SITE_UNKNOWN
 *   2. SSO is off for it: with SSO on every agent is refused before any password is looked at,
 *      even one reset since                                       AGENT_PASSWORD_LOGIN_OFF
 *   3. the login name has no white space at its ends and no invisible character
 *                                                                 IDENTIFIER_LOOK_ALIKE
 *   4. the agent (login name exact) has this password            AGENT_PASSWORD_INVALID
 *   5. the agent is enabled                                       AGENT_DISABLED
 * A refusal shows the form again with its code; the password is never logged.
 */
export async function handlePasswordLogin(ctx: AgentSsoContext, c: Context) {
  c.header('Cache-Control', 'no-store')
  const form = await c.req.parseBody()
  const field = (name: string) => (typeof form[name] === 'string' ? form[name] : '')
  const site = requireSite(ctx, field('site'))
  const returnPath = agentReturnPath(field('return_url'), ctx)
  const loginName = field('loginName').slice(0, 256)
  const refuse = (error: SsoError) => {
    ctx.options.log(`SP agent password login refused for site ${site.id}: ${error.code}`)
    return c.html(
      renderHtml(
        <PasswordLoginPage
          site={site}
          returnPath={returnPath}
          loginName={loginName}
          error={{ code: error.code, reason: error.reason }}
        />,
      ),
      error.status as 401 | 403,
    )
  }
  try {
    const agent = await checkPassword(ctx, site, loginName, field('password'))
    return startAgentSession(ctx, c, agent, 'password', returnPath)
  } catch (error) {
    if (error instanceof SsoError) return refuse(error)
    throw error
  }
}

async function checkPassword(
  ctx: AgentSsoContext,
  site: AgentSite,
  loginName: string,
  password: string,
) {
  if (site.ssoOn) {
    throw new SsoError(
      'AGENT_PASSWORD_LOGIN_OFF',
      'password',
      'this site signs agents in with SSO; passwords are switched off',
      { site: site.id },
    )
  }
  requireExactIdentifier(loginName, 'loginName')
  const agent = ctx.agents.find(site.id, loginName)
  const matches = await verifyPassword(
    password,
    agent ? ctx.agents.passwordHash(agent.id) : undefined,
  )
  if (!agent || !matches) {
    throw new SsoError(
      'AGENT_PASSWORD_INVALID',
      'password',
      'unknown login name or wrong password',
      { site: site.id },
    )
  }
  if (agent.disabled) {
    throw new SsoError('AGENT_DISABLED', 'agent', 'this agent is disabled', {
      site: site.id,
      loginName: agent.loginName,
    })
  }
  return agent
}
