import { Hono } from 'hono'
import { createApp } from '../core/http/create-app.ts'
import { requestGuard } from '../core/http/guard/request-guard.ts'
import { mountLazily } from '../core/http/lazy-routes.ts'
import { renderHtml } from '../core/http/render-html.ts'
import { bindings, nameIdFormats } from '../core/saml/constants.ts'
import { buildIdpMetadata } from '../core/saml/metadata-build.ts'
import { digestAlgorithms, signatureAlgorithms } from '../core/xmldsig/algorithm-ids.ts'
import { artifactResolutionIndex } from './artifact/artifact-store.ts'
import { createIdpContext } from './create-context.ts'
import { type Idp, idpFacade } from './idp-facade.ts'
import { framePolicy } from './login/frame-policy.ts'
import { type IdpOptions, resolveIdpOptions } from './options.ts'
import { IdpHomePage } from './pages/home-page.tsx'
import { idpRoutes } from './request-routes.ts'

export type { Idp } from './idp-facade.ts'

/** The paths of sign-in-routes.tsx, loaded on their first request. */
const signInPaths = [
  '/saml/sso',
  '/saml/idp-initiated',
  '/login',
  '/login/second-factor',
  '/saml/artifact',
  '/saml/page-artifact',
  '/saml/slo',
  '/logout',
  '/logout/continue',
] as const

/**
 * The fake IdP as a Hono app. Routes:
 *   GET  /                       a page: entity ID, sign-on URL, SPs, users
 *   GET  /saml/metadata          IdP metadata (entityID, SSO endpoints, signing certificate)
 *   GET  /saml/sso               AuthnRequest over HTTP-Redirect
 *   POST /saml/sso               AuthnRequest over HTTP-POST
 *   GET  /saml/idp-initiated     ?sp=<entityID>[&RelayState=…]: unsolicited Response to a registered SP
 *   GET  /login?flow=…           the login form again;  POST /login: its answer
 *   POST /saml/artifact          ArtifactResolutionService (SOAP): ArtifactResolve → ArtifactResponse
 *   POST /saml/page-artifact     ?sp=<entityID>: a SAMLart for page JavaScript to hand to the SP (CORS)
 *   GET  /saml/slo, POST /saml/slo  SingleLogoutService: LogoutRequest / LogoutResponse (slo/handle-slo.ts)
 *   GET  /logout                 the IdP's sign-out page;  POST /logout: IdP-initiated single sign-off
 *                                of every protocol (slo/idp-logout.tsx, sign-off/)
 *   POST /logout/continue        on from a front-channel logout page once its iframes loaded
 *   /jwt/*                       JWT token SSO: remote login and sign-off URLs, certificate, JWKS,
 *                                JavaScript hand-over (jwt/jwt-routes.ts)
 *   /oidc/*                      OpenID Connect provider: authorize, token, userinfo, JWKS, end-session
 *                                (oidc/oidc-routes.ts)
 *   GET  /.well-known/openid-configuration   its discovery document
 *   /admin/*                     JSON admin API (see admin/admin-routes.ts)
 */
export function createIdp(options: IdpOptions): Idp {
  const { resolved, seeds } = resolveIdpOptions(options)
  const context = createIdpContext(resolved, seeds)
  // Built again only when the published certificates change (a certificate fault added or
  // removed); every SP metadata fetch and pairing reads the same document otherwise.
  let built: { certificates: string; xml: string } | undefined
  const metadata = () => {
    const signingCertificates = [
      resolved.credential.certificateBase64,
      ...context.faults.publishedCertificates(),
    ]
    const certificates = signingCertificates.join(' ')
    if (built?.certificates !== certificates) {
      built = { certificates, xml: buildMetadata(signingCertificates) }
    }
    return built.xml
  }
  const buildMetadata = (signingCertificates: string[]) =>
    buildIdpMetadata({
      entityId: resolved.entityId,
      signingCertificates,
      singleSignOnServices: [
        { binding: bindings.redirect, location: resolved.urls.sso },
        { binding: bindings.post, location: resolved.urls.sso },
      ],
      singleLogoutServices: [
        { binding: bindings.redirect, location: resolved.urls.slo },
        { binding: bindings.post, location: resolved.urls.slo },
      ],
      artifactResolutionServices: [
        {
          binding: bindings.soap,
          location: resolved.urls.artifactResolution,
          index: artifactResolutionIndex,
          isDefault: true,
        },
      ],
      wantAuthnRequestsSigned: false,
      nameIdFormats: [nameIdFormats.unspecified, nameIdFormats.emailAddress],
      scopes: [resolved.scope],
      // What the IdP verifies (AuthnRequests, ArtifactResolves, logout messages), preferred first:
      // with rsa-sha256 listed, SPs such as Shibboleth stop signing with SHA-1.
      digestMethods: [digestAlgorithms.sha256, digestAlgorithms.sha384, digestAlgorithms.sha512],
      signingMethods: [
        signatureAlgorithms['rsa-sha256'],
        signatureAlgorithms['rsa-sha384'],
        signatureAlgorithms['rsa-sha512'],
      ],
    })

  const app = createApp(
    'IdP',
    resolved.log,
    requestGuard({
      baseUrls: [resolved.baseUrl],
      routes: idpRoutes,
      adminToken: resolved.adminToken,
      random: resolved.random,
    }),
  )
  app.use(framePolicy(resolved.frameAncestors))
  app.get('/', (c) => {
    c.header('Cache-Control', 'no-store')
    return c.html(renderHtml(<IdpHomePage ctx={context} />))
  })
  app.get('/saml/metadata', (c) =>
    c.body(metadata(), 200, { 'Content-Type': 'application/samlmetadata+xml' }),
  )

  // Everything but the first page and the metadata loads on its first request (lazy-routes.ts):
  // a server answers sooner, and each part's dependencies (xml-crypto, jose…) load when used.
  mountLazily(app, signInPaths, async () =>
    (await import('./sign-in-routes.tsx')).signInRoutes(context),
  )
  mountLazily(app, ['/jwt', '/jwt/*'], async () =>
    new Hono().route('/jwt', (await import('./jwt/jwt-routes.ts')).jwtRoutes(context)),
  )
  mountLazily(app, ['/oidc', '/oidc/*', '/.well-known/openid-configuration'], async () => {
    const [{ oidcRoutes }, { discoveryAnswer }] = await Promise.all([
      import('./oidc/oidc-routes.ts'),
      import('./faults/endpoint-faults.ts'),
    ])
    return new Hono()
      .route('/oidc', oidcRoutes(context))
      .get('/.well-known/openid-configuration', (c) => discoveryAnswer(context, c))
  })
  mountLazily(app, ['/admin', '/admin/*'], async () =>
    new Hono().route('/admin', (await import('./admin/admin-routes.ts')).adminRoutes(context)),
  )

  return idpFacade(app, context, metadata)
}
