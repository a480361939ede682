import type { Context } from 'hono'
import { setCookie } from 'hono/cookie'
import { acrValuesOf } from '../../core/authn-context/requested-context.ts'
import { pkceChallenge } from '../../core/jwt/pkce.ts'
import { newToken } from '../../core/random/index.ts'
import type { SpContext } from '../context.ts'
import type { OidcRuntime } from './runtime.ts'
import { scopeOf } from './settings.ts'

/**
 * GET /login with protocol `oidc`: the authorization code flow starts (OIDC Core §3.1.2.1).
 * A fresh `state`, `nonce` and PKCE S256 code_verifier are bound to this browser by a
 * short-lived pre-login cookie; then to the authorization endpoint, parameters under the IdP's
 * names in OAuth2 mode.
 */
export async function startOidcLogin(
  ctx: SpContext,
  c: Context,
  oidc: OidcRuntime,
  returnPath: string,
  loginHint: string | undefined = c.req.query('login_hint'),
  passive = false,
) {
  const { options } = ctx
  const { settings } = oidc
  const { authorizationUrl } = await oidc.provider.endpoints()
  const pending = {
    state: newToken(options.random),
    nonce: newToken(options.random),
    codeVerifier: settings.pkce ? newToken(options.random, 32) : undefined,
    returnPath,
    passive,
  }
  const cookie = newToken(options.random)
  oidc.pending.set(cookie, pending, options.clock.now() + options.pendingRequestLifetimeMs)
  const secure = options.baseUrl.startsWith('https:')
  // form_post brings the answer back by a cross-site POST, which a Lax cookie does not follow.
  const crossSitePost = settings.responseMode === 'form_post' && secure
  setCookie(c, ctx.cookies.oidcPending, cookie, {
    httpOnly: true,
    path: '/',
    sameSite: crossSitePost ? 'None' : 'Lax',
    secure,
    maxAge: Math.floor(options.pendingRequestLifetimeMs / 1000),
  })
  const name = (standard: keyof typeof settings.parameterNames) =>
    settings.parameterNames[standard] ?? standard
  const target = new URL(authorizationUrl)
  const scope = scopeOf(settings)
  target.searchParams.set(name('response_type'), 'code')
  target.searchParams.set(name('client_id'), settings.clientId)
  target.searchParams.set(name('redirect_uri'), options.urls.oidcCallback)
  if (scope !== '') target.searchParams.set(name('scope'), scope)
  target.searchParams.set(name('state'), pending.state)
  if (settings.mode === 'oidc') target.searchParams.set('nonce', pending.nonce)
  if (settings.responseMode === 'form_post') target.searchParams.set('response_mode', 'form_post')
  if (pending.codeVerifier !== undefined) {
    target.searchParams.set('code_challenge', pkceChallenge(pending.codeVerifier, 'S256'))
    target.searchParams.set('code_challenge_method', 'S256')
  }
  if (passive) target.searchParams.set('prompt', 'none')
  const required = ctx.campaign.authnContext
  if (required) {
    // OIDC Core §3.1.2.1 acr_values, and §5.5.1.1 an essential acr: the IdP must meet it or fail.
    const values = acrValuesOf(required)
    target.searchParams.set('acr_values', values.join(' '))
    const acr = { essential: true, values }
    target.searchParams.set('claims', JSON.stringify({ id_token: { acr } }))
  }
  if (loginHint !== undefined) target.searchParams.set('login_hint', loginHint.slice(0, 256))
  options.log('SP OIDC authorization request sent')
  return c.redirect(target.href, 302)
}
