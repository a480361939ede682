import type { Context, Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import { createApp } from '../core/http/create-app.ts'
import { bindings, nameIdFormats } from '../core/saml/constants.ts'
import { acceptedContentEncryption, acceptedKeyTransport } from '../core/saml/encryption.ts'
import { rawQueryOf } from '../core/saml/logout-binding.ts'
import { buildSpMetadata } from '../core/saml/metadata.ts'
import { handleAcs } from './acs/handle-acs.ts'
import type { SpContext } from './context.ts'
import { handleJwtCallback } from './jwt/handle-jwt-callback.ts'
import { jwtVerificationKeys } from './jwt/jwt-keys.ts'
import { startJwtLogout } from './jwt/start-jwt-logout.ts'
import { startLogin } from './login/start-login.ts'
import { handleOidcCallback } from './oidc/handle-oidc-callback.ts'
import { createOidcRuntime } from './oidc/runtime.ts'
import { startOidcLogout } from './oidc/start-oidc-logout.ts'
import { resolveSpOptions, type SpOptions } from './options.ts'
import { HomePage } from './pages/home-page.tsx'
import { createPendingRequestStore } from './session/pending-requests.ts'
import { createReplayCache } from './session/replay-cache.ts'
import { createSpSessionStore, spSessionCookie } from './session/sp-sessions.ts'
import { handleSlo } from './slo/handle-slo.tsx'
import { createPendingLogoutStore } from './slo/pending-logouts.ts'
import { startLogout } from './slo/start-logout.ts'

export interface Sp {
  app: Hono
  context: SpContext
  /** The SP's SAML metadata XML, to hand to the IdP. */
  metadata(): string
}

/**
 * The reference SP as a Hono app. Routes:
 *   GET  /                 who is signed in (or a sign-in button)
 *   GET  /saml/metadata    SP metadata (entityID, ACS for HTTP-POST, signing and encryption certificates)
 *   GET  /login            ?return_url=/path: SP-initiated sign-in (AuthnRequest over HTTP-Redirect)
 *   POST /saml/acs         AssertionConsumerService: SAMLResponse (HTTP-POST) or SAMLart (HTTP-Artifact)
 *   GET  /saml/acs         AssertionConsumerService: SAMLart (HTTP-Artifact, by redirect)
 *   GET  /api/session      the current session as JSON (for scripts)
 *   POST /logout           ends the SP session; with idp.sloUrl, single logout at the IdP (slo/start-logout.ts)
 *   GET  /saml/slo, POST /saml/slo  SingleLogoutService: LogoutResponse / LogoutRequest (slo/handle-slo.tsx)
 *   GET  /jwt/callback     ?token=…&return_url=…: the JWT from the IdP's redirect (jwt/handle-jwt-callback.ts)
 *   POST /jwt/callback     token=…: the JWT from page JavaScript (IdP-initiated hand-over)
 *   GET  /oidc/callback    the OIDC redirect URI: code, state (oidc/handle-oidc-callback.ts)
 * With protocol `jwt`, /login goes to the remote login URL and /logout to the sign-off URL;
 * with `oidc`, to the authorization endpoint and to end_session.
 */
export function createSp(options: SpOptions): Sp {
  const resolved = resolveSpOptions(options)
  const context: SpContext = {
    options: resolved,
    pending: createPendingRequestStore(resolved.clock),
    replay: createReplayCache(resolved.clock),
    sessions: createSpSessionStore(resolved.clock, resolved.random, resolved.sessionInactivityMs),
    pendingLogouts: createPendingLogoutStore(resolved.clock),
    jwtKeys: resolved.jwt ? jwtVerificationKeys(resolved.jwt, resolved) : undefined,
    oidc: resolved.oidc ? createOidcRuntime(resolved.oidc, resolved) : undefined,
  }
  const metadata = () =>
    buildSpMetadata({
      entityId: resolved.entityId,
      signingCertificates: [resolved.credential.certificateBase64],
      encryptionCertificates: [resolved.encryptionCredential.certificateBase64],
      encryptionMethods: [...acceptedContentEncryption, ...acceptedKeyTransport],
      assertionConsumerServices: [
        { binding: bindings.post, location: resolved.urls.acs, index: 0, isDefault: true },
        { binding: bindings.artifact, location: resolved.urls.acs, index: 1 },
      ],
      singleLogoutServices: [
        { binding: bindings.redirect, location: resolved.urls.slo },
        { binding: bindings.post, location: resolved.urls.slo },
      ],
      authnRequestsSigned: resolved.signAuthnRequests,
      wantAssertionsSigned: resolved.wantAssertionsSigned,
      nameIdFormats: [
        nameIdFormats.unspecified,
        nameIdFormats.emailAddress,
        nameIdFormats.persistent,
      ],
    })

  const app = createApp('SP', resolved.log)
  const currentSession = (c: Context) => context.sessions.touch(getCookie(c, spSessionCookie))

  app.get('/', (c) => {
    c.header('Cache-Control', 'no-store')
    return c.html(<HomePage session={currentSession(c)} idpEntityId={resolved.idp.entityId} />)
  })

  app.get('/saml/metadata', (c) =>
    c.body(metadata(), 200, { 'Content-Type': 'application/samlmetadata+xml' }),
  )
  app.get('/login', (c) => startLogin(context, c))
  app.post('/saml/acs', (c) => handleAcs(context, c))
  app.get('/saml/acs', (c) => handleAcs(context, c))
  app.get('/api/session', (c) => {
    const session = currentSession(c)
    return c.json(session ? { signedIn: true, subject: session.subject } : { signedIn: false })
  })
  const oidc = context.oidc
  app.post('/logout', (c) => {
    if (resolved.protocol === 'jwt' && resolved.jwt) return startJwtLogout(context, c, resolved.jwt)
    if (resolved.protocol === 'oidc' && oidc) return startOidcLogout(context, c, oidc)
    return startLogout(context, c)
  })
  if (oidc) app.get('/oidc/callback', (c) => handleOidcCallback(context, c, oidc))
  const jwtSettings = resolved.jwt
  if (jwtSettings) {
    app.get('/jwt/callback', (c) => handleJwtCallback(context, c, jwtSettings))
    app.post('/jwt/callback', (c) => handleJwtCallback(context, c, jwtSettings))
  }
  app.get('/saml/slo', (c) =>
    handleSlo(context, c, { binding: 'redirect', rawQuery: rawQueryOf(c.req.url) }),
  )
  app.post('/saml/slo', async (c) =>
    handleSlo(context, c, { binding: 'post', form: await c.req.parseBody({ all: true }) }),
  )

  return { app, context, metadata }
}
