import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { createApp } from '../core/http/create-app.ts'
import { mountLazily } from '../core/http/lazy-routes.ts'
import { renderHtml } from '../core/http/render-html.ts'
import { bindings, nameIdFormats } from '../core/saml/constants.ts'
import {
  acceptedContentEncryption,
  acceptedKeyTransport,
} from '../core/saml/encryption-settings.ts'
import { buildSpMetadata } from '../core/saml/metadata-build.ts'
import type { ContactStore } from './accounts/contacts.ts'
import type { CampaignSettings } from './campaigns/settings.ts'
import type { SpContext } from './context.ts'
import { jwtVerificationKeys } from './jwt/jwt-keys.ts'
import { createOidcRuntime } from './oidc/runtime.ts'
import type { ResolvedSpOptions } from './options.ts'
import { HomePage } from './pages/home-page.tsx'
import type { SiteLink } from './pages/site-links.tsx'
import { spCookieNames } from './session/cookies.ts'
import { storedPendingRequests } from './session/pending-requests.ts'
import { createReplayCache } from './session/replay-cache.ts'
import { createSpSessionStore } from './session/sp-sessions.ts'
import { createPendingLogoutStore } from './slo/pending-logouts.ts'
import { createBrowserBoundMap } from './store/browser-bound-map.ts'
import type { SpDatabase } from './store/database.ts'
import { createStoredExpiringMap } from './store/stored-expiring-map.ts'

/** The paths of connection-routes.tsx, relative to the connection, loaded on first use. */
const connectionPaths = [
  '/login',
  '/saml/acs',
  '/api/session',
  '/account/*',
  '/logout',
  '/oidc/*',
  '/jwt/*',
  '/saml/slo',
  '/messenger',
  '/messenger/*',
  '/diagnostics',
  '/diagnostics.xml',
  '/diagnostics/*',
]

/** One campaign with its protocol connection to an IdP: its routes and its state. */
export interface SpConnection {
  app: Hono
  context: SpContext
  /** The connection's SAML metadata XML, to hand to the IdP. */
  metadata(): string
  /**
   * Loads what the connection's lazily loaded routes share (`ssoproof sp`: the diagnostics
   * recorder, `context.diagnostics`); their first request does it, anything else that reads it first.
   */
  loadShared(): Promise<void>
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
    pending: storedPendingRequests(db, `${campaign.id}:pending-requests`, resolved.clock),
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
    // `ssoproof sp`: set by loadShared below, with the routes that record and show attempts.
    diagnostics: undefined,
    siteLinks: shared.siteLinks,
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
      renderHtml(
        <HomePage
          session={currentSession(c)}
          idpEntityId={resolved.idp.entityId}
          pathPrefix={pathPrefix}
          siteLinks={context.siteLinks}
        />,
      ),
    )
  })
  app.get('/saml/metadata', (c) =>
    c.body(metadata(), 200, { 'Content-Type': 'application/samlmetadata+xml' }),
  )
  // The rest loads on its first request (core/http/lazy-routes.ts): a server answers sooner, and
  // the sign-in code's dependencies (xml-crypto, jose…) load when a sign-in comes.
  // `ssoproof sp`'s recorder (its message decoder, the ACS checks it lists) loads with them too.
  let sharedLoaded: Promise<void> | undefined
  const loadShared = () => {
    sharedLoaded ??= resolved.diagnostics
      ? import('./diagnostics/create-diagnostics.ts').then(({ createDiagnostics }) => {
          context.diagnostics = createDiagnostics({
            now: () => resolved.clock.now(),
            random: resolved.random,
          })
        })
      : Promise.resolve()
    return sharedLoaded
  }
  mountLazily(app, connectionPaths, async () => {
    const [{ connectionRoutes }] = await Promise.all([
      import('./connection-routes.tsx'),
      loadShared(),
    ])
    const routes = connectionRoutes(context)
    // Mounted under /c/<id>/, this app sees the full path; so must the routes.
    return pathPrefix === '' ? routes : new Hono().route(pathPrefix, routes)
  })
  return { app, context, metadata, loadShared }
}
