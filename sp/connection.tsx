import type { Context, Hono, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { createApp } from '../core/http/create-app.ts'
import { verifyJwt } from '../core/jwt/verify.ts'
import { bindings, nameIdFormats } from '../core/saml/constants.ts'
import { acceptedContentEncryption, acceptedKeyTransport } from '../core/saml/encryption.ts'
import { rawQueryOf } from '../core/saml/logout-binding.ts'
import { buildSpMetadata } from '../core/saml/metadata.ts'
import type { ContactStore } from './accounts/contacts.ts'
import { handleProfileQuestion } from './accounts/profile-questions.tsx'
import { handleAcs } from './acs/handle-acs.ts'
import type { CampaignSettings } from './campaigns/settings.ts'
import type { SpContext } from './context.ts'
import { createDiagnostics } from './diagnostics/create-diagnostics.ts'
import { mountDiagnostics } from './diagnostics/mount-diagnostics.tsx'
import { handleJwtCallback } from './jwt/handle-jwt-callback.ts'
import { jwtVerificationKeys } from './jwt/jwt-keys.ts'
import { startJwtLogout } from './jwt/start-jwt-logout.ts'
import { startLogin } from './login/start-login.ts'
import { mountMessenger } from './messenger/mount-messenger.tsx'
import { frontChannelLogout } from './oidc/frontchannel-logout.ts'
import { handleInitiateLogin } from './oidc/handle-initiate-login.ts'
import { handleOidcCallback } from './oidc/handle-oidc-callback.ts'
import { handleRefresh } from './oidc/handle-refresh.ts'
import { verifyProviderJwt } from './oidc/provider-jwt.ts'
import { createOidcRuntime } from './oidc/runtime.ts'
import { startOidcLogout } from './oidc/start-oidc-logout.ts'
import type { ResolvedSpOptions } from './options.ts'
import { HomePage } from './pages/home-page.tsx'
import type { SiteLink } from './pages/site-links.tsx'
import { spCookieNames } from './session/cookies.ts'
import { createPendingRequestStore } from './session/pending-requests.ts'
import { createReplayCache } from './session/replay-cache.ts'
import { createSpSessionStore } from './session/sp-sessions.ts'
import { receiveLogoutToken } from './sign-off/receive-logout-token.ts'
import { handleSlo } from './slo/handle-slo.tsx'
import { createPendingLogoutStore } from './slo/pending-logouts.ts'
import { startLogout } from './slo/start-logout.ts'
import { createBrowserBoundMap } from './store/browser-bound-map.ts'
import type { SpDatabase } from './store/database.ts'
import { createStoredExpiringMap } from './store/stored-expiring-map.ts'

/** One campaign with its protocol connection to an IdP: its routes and its state. */
export interface SpConnection {
  app: Hono
  context: SpContext
  /** The connection's SAML metadata XML, to hand to the IdP. */
  metadata(): string
}

/**
 * The routes of one campaign connection, relative to where it is mounted (the SP's root for the
 * first campaign, /c/<id>/ for the others):
 *   GET  /                 who is signed in (or a sign-in button)
 *   GET  /saml/metadata    SP metadata (entityID, ACS for HTTP-POST, signing and encryption certificates)
 *   GET  /login            ?return_url=/path: SP-initiated sign-in in the campaign's protocol
 *   POST /saml/acs         AssertionConsumerService: SAMLResponse (HTTP-POST) or SAMLart (HTTP-Artifact)
 *   GET  /saml/acs         AssertionConsumerService: SAMLart (HTTP-Artifact, by redirect)
 *   GET  /api/session      the current session as JSON (for scripts)
 *   POST /logout           ends the SP session, then signs off at the IdP when its logout URL is known
 *   GET  /saml/slo, POST /saml/slo  SingleLogoutService: LogoutResponse / LogoutRequest (slo/handle-slo.tsx)
 *   GET  /jwt/callback     ?token=…&return_url=…: the JWT from the IdP's redirect (jwt/handle-jwt-callback.ts)
 *   POST /jwt/callback     token=…: the JWT from page JavaScript (IdP-initiated hand-over)
 *   GET  /oidc/callback    the OIDC redirect URI: code, state (oidc/handle-oidc-callback.ts); POST for form_post
 *   GET|POST /oidc/initiate-login  login initiated by the provider: iss, login_hint, target_link_uri
 *   POST /oidc/backchannel-logout   OIDC Back-Channel Logout: a logout token (sign-off/receive-logout-token.ts)
 *   GET  /oidc/frontchannel-logout  OIDC Front-Channel Logout: iss and sid, in the provider's iframe
 *   POST /jwt/sign-off     the IdP signs a JWT visitor off with a logout token
 *   POST /oidc/refresh     refresh the signed-in visitor's tokens, re-validating the ID token (oidc/handle-refresh.ts)
 *   GET|POST /account/username  the first sign-on's username question (accounts/profile-questions.tsx)
 *   GET|POST /account/email     the first sign-on's email question, likewise
 *   GET|POST /messenger/…  the visitor messenger (messenger/mount-messenger.tsx)
 * With protocol `jwt`, /login goes to the remote login URL and /logout to the sign-off URL;
 * with `oidc`, to the authorization endpoint and to end_session.
 */
export function createConnection(
  resolved: ResolvedSpOptions,
  campaign: CampaignSettings,
  shared: {
    db: SpDatabase
    contacts: ContactStore
    pathPrefix: string
    /** The SP's request guard, on the root connection's app (it covers every mounted route). */
    guard?: MiddlewareHandler
    /** The SP's navigation, shared by every connection and filled once all is mounted. */
    siteLinks: SiteLink[]
  },
): SpConnection {
  const { db, contacts, pathPrefix } = shared
  const map = <V,>(store: string) =>
    createStoredExpiringMap<V>(db, `${campaign.id}:${store}`, resolved.clock)
  const sealed = <V,>(store: string) => createBrowserBoundMap<V>(map(store), resolved.random)
  const context: SpContext = {
    options: resolved,
    campaign,
    pathPrefix,
    cookies: spCookieNames(pathPrefix === '' ? undefined : campaign.id),
    db,
    contacts,
    pending: createPendingRequestStore(map('pending-requests'), map('pending-requests-by-browser')),
    replay: createReplayCache(map('replay')),
    sessions: createSpSessionStore(
      map('sessions'),
      resolved.clock,
      resolved.random,
      resolved.sessionInactivityMs,
    ),
    pendingLogouts: createPendingLogoutStore(map('pending-logouts')),
    pendingSignIns: sealed('pending-sign-ins'),
    signInListeners: [],
    jwtKeys: resolved.jwt ? jwtVerificationKeys(resolved.jwt, resolved) : undefined,
    oidc: resolved.oidc
      ? createOidcRuntime(resolved.oidc, resolved, {
          pending: sealed('oidc-logins'),
          logoutReturns: sealed('oidc-logout-returns'),
        })
      : undefined,
    diagnostics: resolved.diagnostics
      ? createDiagnostics({ now: () => resolved.clock.now(), random: resolved.random })
      : undefined,
    siteLinks: shared.siteLinks,
  }
  // `ssoproof sp`: each sign-in endpoint ends on its attempt's diagnostics page.
  const diagnostics = context.diagnostics
  const signIn = (handler: (c: Context) => Response | Promise<Response>) =>
    diagnostics ? diagnostics.capture(context, handler) : handler

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

  const app = createApp('SP', resolved.log, shared.guard)
  const currentSession = (c: Context) =>
    context.sessions.touch(getCookie(c, context.cookies.session))
  app.get('/', (c) => {
    // Back from the provider's end_session: on to where the visitor signed out from.
    const state = c.req.query('state')
    const back = state && context.oidc ? context.oidc.logoutReturns.take(state) : undefined
    if (back !== undefined) return c.redirect(back, 303)
    c.header('Cache-Control', 'no-store')
    return c.html(
      <HomePage
        session={currentSession(c)}
        idpEntityId={resolved.idp.entityId}
        pathPrefix={pathPrefix}
        siteLinks={context.siteLinks}
      />,
    )
  })
  app.get('/saml/metadata', (c) =>
    c.body(metadata(), 200, { 'Content-Type': 'application/samlmetadata+xml' }),
  )
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
  return { app, context, metadata }
}
