import type { Context } from 'hono'
import { setCookie } from 'hono/cookie'
import { newId, newToken } from '../../core/random/index.ts'
import { bindings } from '../../core/saml/constants.ts'
import { encodeRedirect } from '../../core/saml/redirect.ts'
import { maxRelayStateBytes } from '../../core/saml/relay-state.ts'
import type { SpContext } from '../context.ts'
import { startJwtLogin } from '../jwt/start-jwt-login.ts'
import { startOidcLogin } from '../oidc/start-oidc-login.ts'
import { buildAuthnRequest } from './build-authn-request.ts'
import { sameOriginPath } from './return-path.ts'

/**
 * GET /login?return_url=/path[&passive=1] — SP-initiated sign-in in the SP's protocol; `passive`
 * asks silently (login/passive-sign-in.ts). SAML: remembers the
 * AuthnRequest ID bound to this browser and the return path, then redirects to the IdP's
 * sign-on URL (HTTP-Redirect binding). JWT and OIDC: see jwt/start-jwt-login.ts and
 * oidc/start-oidc-login.ts.
 */
export function startLogin(ctx: SpContext, c: Context) {
  const { options } = ctx
  const returnPath = sameOriginPath(c.req.query('return_url'), options.baseUrl)
  const passive = c.req.query('passive') === '1'
  if (options.protocol === 'jwt' && options.jwt)
    return startJwtLogin(ctx, c, options.jwt, returnPath, passive)
  if (options.protocol === 'oidc' && ctx.oidc)
    return startOidcLogin(ctx, c, ctx.oidc, returnPath, c.req.query('login_hint'), passive)
  const id = newId(options.random)
  const browserToken = newToken(options.random)
  const now = options.clock.now()
  ctx.pending.add(
    { id, returnPath, expiresAt: now + options.pendingRequestLifetimeMs, passive },
    browserToken,
  )
  const xml = buildAuthnRequest({
    id,
    issueInstant: now,
    destination: options.idp.ssoUrl,
    issuer: options.entityId,
    acsUrl: options.urls.acs,
    isPassive: passive,
    requestedAuthnContext: ctx.campaign.authnContext,
    // `ssoproof sp --check-all` asks the IdP for its Response over HTTP-Artifact.
    ...(options.diagnostics && c.req.query('binding') === 'artifact'
      ? { protocolBinding: bindings.artifact }
      : {}),
  })
  setCookie(c, ctx.cookies.pending, browserToken, {
    httpOnly: true,
    path: '/',
    // The IdP posts back from another site: only SameSite=None (which needs Secure) travels with
    // that POST. Over plain http (local use) IdP and SP share a site, and Lax is enough.
    ...(options.baseUrl.startsWith('https:')
      ? { sameSite: 'None', secure: true }
      : { sameSite: 'Lax' }),
    maxAge: Math.floor(options.pendingRequestLifetimeMs / 1000),
  })
  const relayState = Buffer.byteLength(returnPath) <= maxRelayStateBytes ? returnPath : undefined
  options.log(`SP AuthnRequest sent to ${options.idp.entityId}`)
  return c.redirect(
    encodeRedirect({
      endpoint: options.idp.ssoUrl,
      param: 'SAMLRequest',
      xml,
      ...(relayState !== undefined ? { relayState } : {}),
      ...(options.signAuthnRequests ? { signingKeyPem: options.credential.privateKeyPem } : {}),
    }),
    302,
  )
}
