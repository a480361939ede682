import type { Context, Hono, MiddlewareHandler } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { mountLazily } from '../../core/http/lazy-routes.ts'
import type { Agent } from './agent-store.ts'
import type { AgentSsoContext } from './context.ts'
import { currentAgent } from './current-agent.ts'

/** The agent side's own pages: reachable without an agent session. */
const openPaths = new Set([
  '/agent/login',
  '/agent/login/password',
  '/agent/saml/metadata',
  '/agent/saml/acs',
  '/agent/jwt/callback',
  '/agent/logout',
  '/agent/signed-out',
  '/agent/login-error',
])

/**
 * Agent SSO at the SP's root, mounted by create-sp.tsx before the agent console when
 * `agentSso` is configured:
 *   GET  /agent/login            ?site=&return_url=: the site question, the password form, or
 *                                straight to the IdP (start-agent-login.tsx)
 *   GET  /agent/login/password   the site's password form
 *   POST /agent/login/password   password login, refused while the site's SSO is on
 *   GET  /agent/saml/metadata    the agent side's SAML metadata (its own entity ID and ACS)
 *   POST /agent/saml/acs         SAML sign-in (handle-agent-acs.ts)
 *   GET  /agent/jwt/callback     JWT sign-in (handle-agent-jwt.ts)
 *   POST /agent/logout           ends the agent session, then to the site's logout page
 *   GET  /agent/signed-out       the logout page of sites that configure none
 *   GET  /agent/login-error      ?reason=CODE: the login-error page of sites that configure none
 *   GET  /admin                  the admin view: sites, certificate warnings, agents
 *   /admin/agents, /admin/agent-sites   the admin API (admin-routes.ts)
 *   /scim/v2/Users               SCIM 2.0 provisioning of agents (scim/scim-routes.ts)
 * Every other /agent page — the console — needs an agent session: a page redirects to
 * /agent/login?return_url=<it>, the JSON API answers 401 AGENT_SESSION_REQUIRED. Returns the
 * signed-in agent of a console request.
 */
export function mountAgentSso(app: Hono, ctx: AgentSsoContext): (c: Context) => Agent | undefined {
  const signedIn = new WeakMap<Request, Agent>()
  const guard: MiddlewareHandler = async (c, next) => {
    if (openPaths.has(c.req.path)) return next()
    const found = currentAgent(ctx, c)
    if (found) {
      signedIn.set(c.req.raw, found.agent)
      return next()
    }
    if (c.req.path.startsWith('/agent/api/')) {
      const error = new SsoError('AGENT_SESSION_REQUIRED', 'agent session', 'no agent is signed in')
      return c.json({ error: { ...error.toFinding(), hint: error.hint } }, 401)
    }
    const back = c.req.method === 'GET' ? c.req.path + new URL(c.req.url).search : '/agent'
    return c.redirect(`/agent/login?return_url=${encodeURIComponent(back)}`, 303)
  }
  // Hono's `/agent/*` covers /agent itself too.
  app.use('/agent/*', guard)

  // The pages and APIs themselves load on their first request (core/http/lazy-routes.ts).
  mountLazily(app, [...openPaths, '/admin', '/admin/*', '/scim/v2', '/scim/v2/*'], async () =>
    (await import('./agent-sso-routes.tsx')).agentSsoRoutes(ctx),
  )
  return (c) => signedIn.get(c.req.raw)
}
