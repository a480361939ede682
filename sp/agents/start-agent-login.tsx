import type { Context } from 'hono'
import { setCookie } from 'hono/cookie'
import { acrValuesOf } from '../../core/authn-context/requested-context.ts'
import { renderHtml } from '../../core/http/render-html.ts'
import { newId, newToken } from '../../core/random/index.ts'
import { encodeRedirect } from '../../core/saml/redirect.ts'
import { tokenKey } from '../../core/store/token-key.ts'
import { escapeInvisible, lookAlikeReason } from '../accounts/exact-identifier.ts'
import { buildAuthnRequest } from '../login/build-authn-request.ts'
import { PasswordLoginPage, SitePromptPage } from './agent-pages.tsx'
import { type AgentSite, type AgentSsoContext, agentCookies } from './context.ts'
import { agentReturnPath, currentAgent } from './current-agent.ts'
import { rememberedSite, rememberSite } from './site-choice.ts'

/**
 * GET /agent/login[?site=ID][&return_url=/agent/…] — the agent's way in, in this order:
 *   1. already signed in as an agent: on to return_url (default /agent)
 *   2. the site: `site` in the URL, else the one this browser gave before, else the one-time
 *      site ID question (an unknown ID asks again, AGENT_SITE_UNKNOWN; one with white space at
 *      its ends or an invisible character, IDENTIFIER_LOOK_ALIKE); it is remembered
 *   3. SSO off: the site's password form
 *   4. SSO on: straight to the site's IdP login page — a SAML AuthnRequest (HTTP-Redirect) or
 *      the JWT remote login URL — bound to this browser and to the site
 */
export function startAgentLogin(ctx: AgentSsoContext, c: Context) {
  c.header('Cache-Control', 'no-store')
  const returnPath = agentReturnPath(c.req.query('return_url'), ctx)
  if (currentAgent(ctx, c)) return c.redirect(returnPath, 303)
  // The site ID as given, compared exactly: never trimmed (accounts/exact-identifier.ts).
  const requested = c.req.query('site')
  const site = requested ? ctx.sites.get(requested) : rememberedSite(ctx, c)
  if (requested && !site) {
    const lookAlike = lookAlikeReason(requested)
    const error = lookAlike
      ? ({
          code: 'IDENTIFIER_LOOK_ALIKE',
          reason: `the site ID ${escapeInvisible(requested.slice(0, 64))} has ${lookAlike}`,
        } as const)
      : ({ code: 'AGENT_SITE_UNKNOWN', reason: 'no site has this ID' } as const)
    return c.html(
      renderHtml(
        <SitePromptPage
          returnPath={returnPath}
          sites={[...ctx.sites.values()]}
          value={requested.slice(0, 64)}
          error={error}
        />,
      ),
      400,
    )
  }
  if (!site) {
    return c.html(
      renderHtml(<SitePromptPage returnPath={returnPath} sites={[...ctx.sites.values()]} />),
    )
  }
  rememberSite(ctx, c, site)
  if (!site.ssoOn)
    return c.html(renderHtml(<PasswordLoginPage site={site} returnPath={returnPath} />))
  return site.protocol === 'jwt'
    ? startJwt(ctx, c, site, returnPath)
    : startSaml(ctx, c, site, returnPath)
}

/** Remembers the sign-in for this browser (the pending cookie) until the IdP answers. */
function bindToBrowser(
  ctx: AgentSsoContext,
  c: Context,
  site: AgentSite,
  returnPath: string,
  requestId: string | undefined,
) {
  const { options } = ctx
  const browserToken = newToken(options.random)
  ctx.pending.set(
    tokenKey(browserToken),
    { siteId: site.id, requestId, returnPath },
    options.clock.now() + options.pendingRequestLifetimeMs,
  )
  // As for visitors (login/start-login.ts): the IdP posts back cross-site only over https.
  setCookie(c, agentCookies.pending, browserToken, {
    httpOnly: true,
    path: '/agent',
    ...(options.baseUrl.startsWith('https:')
      ? { sameSite: 'None', secure: true }
      : { sameSite: 'Lax' }),
    maxAge: Math.floor(options.pendingRequestLifetimeMs / 1000),
  })
}

function startSaml(ctx: AgentSsoContext, c: Context, site: AgentSite, returnPath: string) {
  const { options } = ctx
  const loginUrl = site.loginUrl ?? ''
  const id = newId(options.random)
  bindToBrowser(ctx, c, site, returnPath, id)
  const xml = buildAuthnRequest({
    id,
    issueInstant: options.clock.now(),
    destination: loginUrl,
    issuer: ctx.entityId,
    acsUrl: ctx.urls.acs,
    requestedAuthnContext: site.authnContext,
  })
  options.log(`SP agent AuthnRequest for site ${site.id} sent to ${site.issuer}`)
  return c.redirect(encodeRedirect({ endpoint: loginUrl, param: 'SAMLRequest', xml }), 302)
}

function startJwt(ctx: AgentSsoContext, c: Context, site: AgentSite, returnPath: string) {
  bindToBrowser(ctx, c, site, returnPath, undefined)
  const target = new URL(site.loginUrl ?? '')
  target.searchParams.set('return_url', ctx.urls.jwtCallback)
  if (site.authnContext) {
    target.searchParams.set('acr_values', acrValuesOf(site.authnContext).join(' '))
  }
  ctx.options.log(`SP agent JWT sign-in for site ${site.id} sent to the remote login URL`)
  return c.redirect(target.href, 302)
}
