import type { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { routesIncludingLazy } from '../../core/http/lazy-routes.ts'
import { idpSignInStep, idpSignInSteps } from '../../idp/sign-in-steps.ts'
import { agentSsoSettings } from '../../sp/agents/test-support.ts'
import { rootCampaignPath, spSignInStep, spSignInSteps } from '../../sp/sign-in-steps.ts'
import { createInProcessPair } from '../fixtures/in-process.ts'

/**
 * "METHOD /path" of every route `app` answers, lazily loaded parts included; with `campaigns`,
 * a campaign's routes (/c/<id>/…) also as the root campaign's.
 */
async function routeKeys(app: Hono, campaigns = false): Promise<Set<string>> {
  const keys = new Set<string>()
  for (const route of await routesIncludingLazy(app)) {
    keys.add(`${route.method} ${route.path}`)
    if (campaigns) keys.add(`${route.method} ${rootCampaignPath(route.path)}`)
  }
  return keys
}

// The order a busy `serve` starts requests in (core/http/sign-in-order.ts) goes by these
// tables: a route renamed without them would quietly lose its place.
describe("the sign-in steps serve orders requests by are the apps' own routes", () => {
  it('the IdP: each step a route it answers', async () => {
    const { idp } = await createInProcessPair()
    const routes = await routeKeys(idp.app)
    for (const route of Object.keys(idpSignInSteps)) expect(routes, route).toContain(route)
    expect(idpSignInStep('GET', '/saml/sso')).toBe('here')
    expect(idpSignInStep('POST', '/login')).toBe('onward')
    // Back channels an SP waits on are served as they come.
    for (const route of ['POST /saml/artifact', 'POST /oidc/token', 'GET /oidc/userinfo']) {
      expect(routes, route).toContain(route)
      const [method, path] = route.split(' ') as [string, string]
      expect(idpSignInStep(method, path), route).toBeUndefined()
    }
  })

  it('the SP: each step a route of its campaigns or agent SSO, in any campaign', async () => {
    const { sp } = await createInProcessPair({
      sp: {
        agentSso: agentSsoSettings,
        campaigns: [
          { id: 'shop', protocol: 'jwt' },
          { id: 'community', protocol: 'oidc' },
        ],
      },
    })
    const routes = await routeKeys(sp.app, true)
    for (const route of Object.keys(spSignInSteps)) expect(routes, route).toContain(route)
    expect(spSignInStep('GET', '/login')).toBe('onward')
    expect(spSignInStep('GET', '/c/shop/login')).toBe('onward')
    expect(spSignInStep('POST', '/saml/acs')).toBe('here')
    expect(spSignInStep('GET', '/c/shop/jwt/callback')).toBe('here')
    expect(spSignInStep('POST', '/c/community/oidc/callback')).toBe('here')
    expect(spSignInStep('GET', '/')).toBe('landing')
    expect(spSignInStep('GET', '/c/shop/')).toBe('landing')
    for (const route of ['GET /saml/metadata', 'POST /logout', 'GET /c/shop/api/session']) {
      const [method, path] = route.split(' ') as [string, string]
      expect(spSignInStep(method, path), route).toBeUndefined()
    }
  })
})
