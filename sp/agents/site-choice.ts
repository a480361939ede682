import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { SsoError } from '../../core/errors/index.ts'
import { type AgentSite, type AgentSsoContext, agentCookies } from './context.ts'

// The longest a browser keeps a cookie (RFC 6265bis §5.5: 400 days).
const rememberSeconds = 400 * 86_400

/** The configured site with this ID; AGENT_SITE_UNKNOWN otherwise. */
export function requireSite(ctx: AgentSsoContext, id: string): AgentSite {
  const site = ctx.sites.get(id)
  if (!site) {
    throw new SsoError('AGENT_SITE_UNKNOWN', 'site', 'no agent SSO site has this ID', {
      site: id.slice(0, 64),
    })
  }
  return site
}

/** The site this browser gave before, while it still names a configured one. */
export function rememberedSite(ctx: AgentSsoContext, c: Context): AgentSite | undefined {
  const id = getCookie(c, agentCookies.site)
  return id === undefined ? undefined : ctx.sites.get(id)
}

/** Remembers the site for this browser, so that later sign-ins do not ask for it again. */
export function rememberSite(ctx: AgentSsoContext, c: Context, site: AgentSite): void {
  setCookie(c, agentCookies.site, site.id, {
    httpOnly: true,
    path: '/',
    sameSite: 'Lax',
    secure: ctx.options.baseUrl.startsWith('https:'),
    maxAge: rememberSeconds,
  })
}
