import { Hono } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import { renderHtml } from '../../core/http/render-html.ts'
import { AdminPage } from './admin-page.tsx'
import { agentAdminRoutes } from './admin-routes.ts'
import { LoginErrorPage, SignedOutPage } from './agent-pages.tsx'
import { type AgentSsoContext, agentCookies } from './context.ts'
import { agentMetadata } from './create-agent-sso.ts'
import { handleAgentAcs } from './handle-agent-acs.ts'
import { handleAgentJwtCallback } from './handle-agent-jwt.ts'
import { handlePasswordLogin, showPasswordLogin } from './password-login.tsx'
import { scimRoutes } from './scim/scim-routes.ts'
import { rememberedSite } from './site-choice.ts'
import { siteView } from './site-view.ts'
import { startAgentLogin } from './start-agent-login.tsx'

/** Agent SSO's pages and APIs, as mount-agent-sso.tsx lists them, behind its guard. */
export function agentSsoRoutes(ctx: AgentSsoContext): Hono {
  const app = new Hono()
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
  app.get('/agent/signed-out', (c) => c.html(renderHtml(<SignedOutPage />)))
  app.get('/agent/login-error', (c) =>
    c.html(renderHtml(<LoginErrorPage reason={c.req.query('reason')} />)),
  )

  app.get('/admin', (c) => {
    c.header('Cache-Control', 'no-store')
    const now = ctx.options.clock.now()
    const sites = [...ctx.sites.values()].map((site) => siteView(site, now))
    return c.html(renderHtml(<AdminPage sites={sites} agents={ctx.agents.list()} />))
  })
  app.route('/admin', agentAdminRoutes(ctx))
  app.route('/scim/v2', scimRoutes(ctx))
  return app
}
