import { SsoError } from '../core/errors/index.ts'
import { createApp } from '../core/http/create-app.ts'
import { requestGuard } from '../core/http/guard/request-guard.ts'
import { bindings, nameIdFormats, statusCodes } from '../core/saml/constants.ts'
import { buildIdpMetadata } from '../core/saml/metadata.ts'
import { checkRelayState } from '../core/saml/relay-state.ts'
import { digestAlgorithms, signatureAlgorithms } from '../core/xmldsig/algorithms.ts'
import { adminRoutes } from './admin/admin-routes.ts'
import { artifactForPage } from './artifact/artifact-for-page.ts'
import { artifactResolutionIndex } from './artifact/artifact-resolve-checks.ts'
import { handleArtifactResolve } from './artifact/resolve-artifact.ts'
import { createIdpContext } from './create-context.ts'
import { discoveryAnswer } from './faults/endpoint-faults.ts'
import { journalAuthnRequest } from './faults/journal-entries.ts'
import { type Idp, idpFacade } from './idp-facade.ts'
import { jwtRoutes } from './jwt/jwt-routes.ts'
import { continueFlow, showLogin } from './login/continue-flow.tsx'
import { framePolicy } from './login/frame-policy.ts'
import { handleLogin } from './login/handle-login.ts'
import { handleSecondFactor } from './login/handle-second-factor.ts'
import { type ClaimQueuedLogin, signInAttempt } from './login/sign-in-attempt.ts'
import { oidcRoutes } from './oidc/oidc-routes.ts'
import { type IdpOptions, resolveIdpOptions } from './options.ts'
import { IdpHomePage } from './pages/home-page.tsx'
import { idpRoutes } from './request-routes.ts'
import { respond } from './response/respond.ts'
import { continueAfterFrontChannel } from './slo/continue-logout.tsx'
import { handleSlo } from './slo/handle-slo.ts'
import { showIdpLogout, startIdpLogout } from './slo/idp-logout.tsx'
import type { SamlFlow } from './sso/flows.ts'
import { chooseNameIdFormat } from './sso/name-id-policy.ts'
import { type IncomingBinding, receiveAuthnRequest } from './sso/receive-authn-request.ts'
import { idpInitiatedAcs } from './sso/resolve-acs.ts'

export type { Idp } from './idp-facade.ts'

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
    return c.html(<IdpHomePage ctx={context} />)
  })
  app.get('/saml/metadata', (c) =>
    c.body(metadata(), 200, { 'Content-Type': 'application/samlmetadata+xml' }),
  )

  const sso = (
    incoming: IncomingBinding,
    c: Parameters<typeof continueFlow>[1],
    claim: ClaimQueuedLogin,
  ) => {
    const accepted = receiveAuthnRequest(
      incoming,
      context.serviceProviders,
      resolved.urls.sso,
      claim,
      resolved.log,
    )
    journalAuthnRequest(context, incoming.binding, accepted)
    const nameId = chooseNameIdFormat(accepted.request.nameIdPolicyFormat, accepted.sp)
    const flow: SamlFlow = {
      kind: 'saml',
      sp: accepted.sp,
      acsUrl: accepted.acs.location,
      responseBinding: accepted.responseBinding,
      requestId: accepted.request.id,
      relayState: accepted.relayState,
      forceAuthn: accepted.request.forceAuthn,
      loginHint: c.req.query('login_hint'),
      authnContext:
        accepted.request.requestedAuthnContext === undefined
          ? undefined
          : { request: accepted.request.requestedAuthnContext, binding: true },
      nameIdFormat: nameId.kind === 'format' ? nameId.format : accepted.sp.nameIdFormat,
      nameIdRequested: nameId.kind === 'format' && nameId.requested,
    }
    if (nameId.kind === 'invalid') {
      resolved.log(
        `IdP AuthnRequest from ${accepted.sp.entityId} refused: SAML_REQUEST_NAMEID_POLICY_UNSUPPORTED (${nameId.requested})`,
      )
      return respond(context, c, flow, {
        kind: 'failure',
        code: statusCodes.requester,
        status: statusCodes.invalidNameIdPolicy,
        message:
          'SAML_REQUEST_NAMEID_POLICY_UNSUPPORTED: this NameID format is not available to this service provider',
      })
    }
    if (accepted.unsupportedBinding !== undefined) {
      resolved.log(
        `IdP AuthnRequest from ${accepted.sp.entityId} refused: SAML_REQUEST_BINDING_UNSUPPORTED (${accepted.unsupportedBinding})`,
      )
      return respond(context, c, flow, {
        kind: 'failure',
        code: statusCodes.requester,
        status: statusCodes.unsupportedBinding,
        message: 'SAML_REQUEST_BINDING_UNSUPPORTED: answers go by HTTP-POST or HTTP-Artifact',
      })
    }
    return continueFlow(context, c, flow, accepted.request.isPassive, claim(accepted.sp.entityId))
  }
  app.get('/saml/sso', (c) =>
    signInAttempt(context, (claim) =>
      sso({ binding: 'redirect', rawQuery: rawQueryOf(c.req.url) }, c, claim),
    ),
  )
  app.post('/saml/sso', async (c) => {
    const form = await c.req.parseBody({ all: true })
    return signInAttempt(context, (claim) => sso({ binding: 'post', form }, c, claim))
  })

  const idpInitiated = (c: Parameters<typeof continueFlow>[1], claim: ClaimQueuedLogin) => {
    const entityId = c.req.query('sp') ?? ''
    const queued = claim(entityId)
    const sp = context.serviceProviders.get(entityId)
    if (!sp?.allowIdpInitiated) {
      throw new SsoError(
        'SAML_REQUEST_UNKNOWN_SP',
        'sp',
        'no registered service provider accepts IdP-initiated sign-in under this entity ID',
        {
          sp: entityId,
        },
      )
    }
    const { acs, responseBinding } = idpInitiatedAcs(sp)
    const relayState = c.req.query('RelayState')
    checkRelayState(relayState)
    return continueFlow(
      context,
      c,
      {
        kind: 'saml',
        sp,
        acsUrl: acs.location,
        responseBinding,
        requestId: undefined,
        relayState,
        forceAuthn: false,
        loginHint: c.req.query('login_hint'),
        nameIdFormat: sp.nameIdFormat,
        nameIdRequested: false,
      },
      false,
      queued,
    )
  }
  app.get('/saml/idp-initiated', (c) => signInAttempt(context, (claim) => idpInitiated(c, claim)))

  app.get('/login', (c) => {
    const flowId = c.req.query('flow')
    const flow = context.flows.get(flowId)
    if (!flow || !flowId) {
      throw new SsoError(
        'IDP_FLOW_UNKNOWN',
        'login',
        'start the sign-in at the service provider',
        {},
      )
    }
    return showLogin(context, c, flowId, flow)
  })
  app.post('/login', (c) => handleLogin(context, c))
  app.post('/login/second-factor', (c) => handleSecondFactor(context, c))
  app.post('/saml/artifact', (c) => handleArtifactResolve(context, c))
  app.post('/saml/page-artifact', (c) => artifactForPage(context, c))
  app.get('/saml/slo', (c) =>
    handleSlo(context, c, { binding: 'redirect', rawQuery: rawQueryOf(c.req.url) }),
  )
  app.post('/saml/slo', async (c) =>
    handleSlo(context, c, { binding: 'post', form: await c.req.parseBody({ all: true }) }),
  )
  app.get('/logout', (c) => showIdpLogout(context, c))
  app.post('/logout', (c) => startIdpLogout(context, c))
  app.post('/logout/continue', (c) => continueAfterFrontChannel(context, c))
  app.route('/jwt', jwtRoutes(context))
  app.route('/oidc', oidcRoutes(context))
  app.get('/.well-known/openid-configuration', (c) => discoveryAnswer(context, c))
  app.route('/admin', adminRoutes(context))

  return idpFacade(app, context, metadata)
}

function rawQueryOf(url: string): string {
  const index = url.indexOf('?')
  return index === -1 ? '' : url.slice(index + 1)
}
