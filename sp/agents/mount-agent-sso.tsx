import type { Context, Hono, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import { SsoError } from '../../core/errors/index.ts'
import { AdminPage } from './admin-page.tsx'
import { agentAdminRoutes } from './admin-routes.ts'
import { LoginErrorPage, SignedOutPage } from './agent-pages.tsx'
import type { Agent } from './agent-store.ts'
import { type AgentSsoContext, agentCookies } from './context.ts'
import { agentMetadata } from './create-agent-sso.ts'
import { currentAgent } from './current-agent.ts'
import { handleAgentAcs } from './handle-agent-acs.ts'
import { handleAgentJwtCallback } from './handle-agent-jwt.ts'
import { handlePasswordLogin, showPasswordLogin } from './password-login.tsx'
import { scimRoutes } from './scim/scim-routes.ts'
import { rememberedSite } from './site-choice.ts'
import { siteView } from './site-view.ts'
import { startAgentLogin } from './start-agent-login.tsx'

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

  app.get('/agent/login', (c) => startAgentLogin(ctx, c))
  app.get('/agent/login/password', (c) => showPasswordLogin(ctx, c))
  app.post('/agent/login/password', (c) => handlePasswordLogin(ctx, c))
  app.get('/agent/saml/metadata', (c) =>
    c.body(agentMetadata(ctx), 200, { 'Content-Type': 'application/samlmetadata+xml' }),
  )
  app.post('/agent/saml/acs', (c) => handleAgentAcs(ctx, c))
  app.get('/agent/jwt/callback', (c) => handleAgentJwtCallback(ctx, c))
  app.post('/agent/logout', (c) => {
    const token = getCookie(c, agentCookies.session)
    const session = ctx.sessions.peek(token)
    ctx.sessions.delete(token)
    deleteCookie(c, agentCookies.session, { path: '/' })
    const site = session ? ctx.sites.get(session.siteId) : rememberedSite(ctx, c)
    if (session)
      ctx.options.log(`SP agent ${session.loginName} of site ${session.siteId} signed out`)
    return c.redirect(site?.logoutUrl ?? ctx.urls.signedOut, 303)
  })
  app.get('/agent/signed-out', (c) => c.html(<SignedOutPage />))
  app.get('/agent/login-error', (c) => c.html(<LoginErrorPage reason={c.req.query('reason')} />))

  app.get('/admin', (c) => {
    c.header('Cache-Control', 'no-store')
    const now = ctx.options.clock.now()
    const sites = [...ctx.sites.values()].map((site) => siteView(site, now))
    return c.html(<AdminPage sites={sites} agents={ctx.agents.list()} />)
  })
  app.route('/admin', agentAdminRoutes(ctx))
  app.route('/scim/v2', scimRoutes(ctx))
  return (c) => signedIn.get(c.req.raw)
}
