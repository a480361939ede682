import type { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type RouteTable, routeKind } from '../../core/http/guard/request-guard.ts'
import { routesIncludingLazy } from '../../core/http/lazy-routes.ts'
import { idpRoutes } from '../../idp/request-routes.ts'
import { agentSsoSettings } from '../../sp/agents/test-support.ts'
import { spRoutes } from '../../sp/request-routes.ts'
import { createInProcessPair, idpUrl, spUrl } from '../fixtures/in-process.ts'

const unsafe = new Set(['POST', 'PUT', 'DELETE', 'PATCH'])

/**
 * Every state-changing route an app answers, with a path to reach it (parameters filled in);
 * the routes it loads on first use included.
 */
async function stateChangingRoutes(app: Hono) {
  const seen = new Set<string>()
  return (await routesIncludingLazy(app))
    .filter((route) => unsafe.has(route.method) && !route.path.includes('*'))
    .map((route) => ({ method: route.method, path: route.path.replaceAll(/:\w+/g, '1') }))
    .filter((route) => {
      const key = `${route.method} ${route.path}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
}

async function codeOf(response: Response): Promise<string | undefined> {
  const text = await response.text()
  if (text.startsWith('{')) return (JSON.parse(text) as { error?: { code?: string } }).error?.code
  return /id="error-code">([A-Z_]+)</.exec(text)?.[1]
}

/**
 * The class, not the examples (catalogue case 36): every route that changes state, as the apps
 * list them — routes added later included — is refused from another site and from another port
 * of the same host, unless the side's table calls it cross-site by design; a page's POST needs
 * the form token and an admin call JSON.
 */
async function expectEveryRouteGuarded(app: Hono, base: string, routes: RouteTable) {
  const checked: string[] = []
  const byDesign: string[] = []
  for (const { method, path } of await stateChangingRoutes(app)) {
    const kind = routeKind(path, routes)
    const route = `${method} ${path}`
    if (kind === 'cross-site') {
      byDesign.push(route)
      continue
    }
    for (const origin of ['http://evil.example', 'http://127.0.0.1:9999', 'null']) {
      const response = await app.fetch(
        new Request(`${base}${path}`, {
          method,
          headers: { origin, 'content-type': 'text/plain', host: new URL(base).host },
          body: 'x=1',
        }),
      )
      expect(response.status, `${route} from ${origin}`).toBe(403)
      expect(await codeOf(response), `${route} from ${origin}`).toBe('CROSS_SITE_REQUEST_REFUSED')
    }
    checked.push(route)
    // From its own origin a DELETE to the admin API is what the API is for.
    if (kind !== 'page' && method === 'DELETE') continue
    const own = await app.fetch(
      new Request(`${base}${path}`, {
        method,
        headers: {
          origin: base,
          'sec-fetch-site': 'same-origin',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'x=1',
      }),
    )
    expect(await codeOf(own), `${route} from its own origin, no token`).toBe(
      kind === 'page' ? 'FORM_TOKEN_INVALID' : 'ADMIN_JSON_REQUIRED',
    )
  }
  return { checked, byDesign }
}

describe('every state-changing route of the IdP and the SP is guarded', () => {
  it('the IdP: login form, sign-out, admin; only SAML bindings and OAuth back channels by design', async () => {
    const { idp } = await createInProcessPair()
    const { checked, byDesign } = await expectEveryRouteGuarded(idp.app, idpUrl, idpRoutes)
    expect(checked).toEqual(
      expect.arrayContaining(['POST /login', 'POST /logout', 'POST /admin/users']),
    )
    expect(byDesign.sort()).toEqual(
      [
        'POST /jwt/token',
        'POST /oidc/authorize',
        'POST /oidc/end-session',
        'POST /oidc/token',
        'POST /oidc/userinfo',
        'POST /saml/artifact',
        'POST /saml/page-artifact',
        'POST /saml/slo',
        'POST /saml/sso',
      ].sort(),
    )
  })

  it('the SP: every campaign, the messenger, the console, agent SSO, admin, the guided check', async () => {
    const { sp } = await createInProcessPair({
      sp: {
        agentSso: agentSsoSettings,
        diagnostics: true,
        checkAll: true,
        campaigns: [
          { id: 'shop', protocol: 'jwt' },
          { id: 'community', protocol: 'oidc' },
        ],
      },
    })
    const { checked, byDesign } = await expectEveryRouteGuarded(sp.app, spUrl, spRoutes)
    expect(checked).toEqual(
      expect.arrayContaining([
        'POST /logout',
        'POST /c/shop/logout',
        'POST /account/username',
        'POST /messenger/messages',
        'POST /c/community/messenger/end',
        'POST /agent/conversations/1/reply',
        'POST /agent/login/password',
        'POST /agent/logout',
        'POST /admin/agents',
        'PUT /admin/agents/1/1/password',
        'POST /check-all/reset',
      ]),
    )
    // The IdP's self-submitting forms (SAML, OIDC form_post), hand-overs, the OP's login
    // initiation and the back channels that carry a signed logout token.
    for (const route of byDesign) {
      expect(route).toMatch(
        /^POST (?:\/c\/[^/]+)?\/(?:saml\/acs|saml\/slo|jwt\/callback|jwt\/sign-off|oidc\/callback|oidc\/initiate-login|oidc\/backchannel-logout|agent\/saml\/acs)$/,
      )
    }
    expect(byDesign).toEqual(
      expect.arrayContaining([
        'POST /saml/acs',
        'POST /c/shop/jwt/sign-off',
        'POST /c/community/oidc/callback',
        'POST /c/community/oidc/backchannel-logout',
        'POST /c/community/oidc/initiate-login',
      ]),
    )
  })
})
