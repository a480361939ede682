import type { Context } from 'hono'
import { Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import { verifyJwt } from '../core/jwt/verify.ts'
import { rawQueryOf } from '../core/saml/logout-binding.ts'
import { handleProfileQuestion } from './accounts/profile-questions.tsx'
import { handleAcs } from './acs/handle-acs.ts'
import type { SpContext } from './context.ts'
import { mountDiagnostics } from './diagnostics/mount-diagnostics.tsx'
import { handleJwtCallback } from './jwt/handle-jwt-callback.ts'
import { startJwtLogout } from './jwt/start-jwt-logout.ts'
import { startLogin } from './login/start-login.ts'
import { mountMessenger } from './messenger/mount-messenger.tsx'
import { frontChannelLogout } from './oidc/frontchannel-logout.ts'
import { handleInitiateLogin } from './oidc/handle-initiate-login.ts'
import { handleOidcCallback } from './oidc/handle-oidc-callback.ts'
import { handleRefresh } from './oidc/handle-refresh.ts'
import { verifyProviderJwt } from './oidc/provider-jwt.ts'
import { startOidcLogout } from './oidc/start-oidc-logout.ts'
import { receiveLogoutToken } from './sign-off/receive-logout-token.ts'
import { handleSlo } from './slo/handle-slo.tsx'
import { startLogout } from './slo/start-logout.ts'

/**
 * The routes of a campaign connection but its first page and metadata: sign-in in the campaign's
 * protocol, sign-out, the account questions, the messenger and the diagnostics pages, as
 * connection.tsx lists them. connection.tsx loads them on the first request to one of them.
 */
export function connectionRoutes(context: SpContext): Hono {
  const app = new Hono()
  const { options: resolved, contacts } = context
  const currentSession = (c: Context) =>
    context.sessions.touch(getCookie(c, context.cookies.session))
  // `ssoproof sp`: each sign-in endpoint ends on its attempt's diagnostics page.
  const diagnostics = context.diagnostics
  const signIn = (handler: (c: Context) => Response | Promise<Response>) =>
    diagnostics ? diagnostics.capture(context, handler) : handler
  app.get('/login', (c) => startLogin(context, c))
  app.post(
    '/saml/acs',
    signIn((c) => handleAcs(context, c)),
  )
  app.get(
    '/saml/acs',
    signIn((c) => handleAcs(context, c)),
  )
  app.get('/api/session', (c) => {
    const session = currentSession(c)
    return c.json(
      session
        ? {
            signedIn: true,
            subject: session.subject,
            contact:
              session.contactId === undefined ? null : (contacts.get(session.contactId) ?? null),
            missingAttributes: session.missingAttributes,
          }
        : { signedIn: false },
    )
  })
  for (const field of ['email', 'username'] as const) {
    app.get(`/account/${field}`, (c) => handleProfileQuestion(context, c, field))
    app.post(`/account/${field}`, (c) => handleProfileQuestion(context, c, field))
  }
  const oidc = context.oidc
  app.post('/logout', (c) => {
    if (resolved.protocol === 'jwt' && resolved.jwt) return startJwtLogout(context, c, resolved.jwt)
    if (resolved.protocol === 'oidc' && oidc) return startOidcLogout(context, c, oidc)
    return startLogout(context, c)
  })
  if (oidc) {
    const callback = signIn((c) => handleOidcCallback(context, c, oidc))
    app.get('/oidc/callback', callback)
    app.post('/oidc/callback', callback)
    app.post('/oidc/refresh', (c) => handleRefresh(context, c, oidc))
    app.get('/oidc/initiate-login', (c) => handleInitiateLogin(context, c, oidc))
    app.post('/oidc/initiate-login', (c) => handleInitiateLogin(context, c, oidc))
    app.post('/oidc/backchannel-logout', (c) =>
      receiveLogoutToken(context, c, {
        name: 'back-channel logout',
        issuer: oidc.settings.issuer ?? '',
        sidRequired: false,
        verify: (token) =>
          verifyProviderJwt(oidc, token, {
            label: 'logout token',
            now: resolved.clock.now(),
            clockSkewMs: oidc.settings.clockSkewMs ?? resolved.clockSkewMs,
            requiredClaims: ['iat'],
            issuer: true,
            audience: true,
          }),
      }),
    )
    app.get('/oidc/frontchannel-logout', (c) => frontChannelLogout(context, c, oidc))
  }
  const jwtSettings = resolved.jwt
  if (jwtSettings) {
    app.get(
      '/jwt/callback',
      signIn((c) => handleJwtCallback(context, c, jwtSettings)),
    )
    app.post(
      '/jwt/callback',
      signIn((c) => handleJwtCallback(context, c, jwtSettings)),
    )
    app.post('/jwt/sign-off', (c) =>
      receiveLogoutToken(context, c, {
        name: 'JWT sign-off',
        issuer: jwtSettings.issuer ?? '',
        sidRequired: false,
        verify: (token) =>
          verifyJwt(token, {
            algorithms: jwtSettings.algorithms,
            keys: context.jwtKeys ?? {},
            ...(jwtSettings.issuer !== undefined ? { issuer: jwtSettings.issuer } : {}),
            ...(jwtSettings.audience !== undefined ? { audience: jwtSettings.audience } : {}),
            clockSkewMs: jwtSettings.clockSkewMs ?? resolved.clockSkewMs,
            now: resolved.clock.now(),
            maxBytes: jwtSettings.maxTokenBytes,
            requiredClaims: ['iat'],
            label: 'logout token',
          }),
      }),
    )
  }
  // `ssoproof sp`: each logout message is recorded too; a refused one ends on its diagnostics.
  const logout = (handler: (c: Context) => Response | Promise<Response>) =>
    diagnostics ? diagnostics.captureLogout(context, handler) : handler
  app.get(
    '/saml/slo',
    logout((c) => handleSlo(context, c, { binding: 'redirect', rawQuery: rawQueryOf(c.req.url) })),
  )
  app.post(
    '/saml/slo',
    logout(async (c) =>
      handleSlo(context, c, { binding: 'post', form: await c.req.parseBody({ all: true }) }),
    ),
  )
  mountMessenger(app, context)
  if (diagnostics) mountDiagnostics(app, context, diagnostics)
  return app
}
