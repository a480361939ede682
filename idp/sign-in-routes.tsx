import { Hono } from 'hono'
import { SsoError } from '../core/errors/index.ts'
import { statusCodes } from '../core/saml/constants.ts'
import { checkRelayState } from '../core/saml/relay-state.ts'
import { artifactForPage } from './artifact/artifact-for-page.ts'
import { handleArtifactResolve } from './artifact/resolve-artifact.ts'
import type { IdpContext } from './context.ts'
import { journalAuthnRequest } from './faults/journal-entries.ts'
import { continueFlow, showLogin } from './login/continue-flow.tsx'
import { handleLogin } from './login/handle-login.ts'
import { handleSecondFactor } from './login/handle-second-factor.ts'
import { type ClaimQueuedLogin, signInAttempt } from './login/sign-in-attempt.ts'
import { respond } from './response/respond.ts'
import { continueAfterFrontChannel } from './slo/continue-logout.tsx'
import { handleSlo } from './slo/handle-slo.ts'
import { showIdpLogout, startIdpLogout } from './slo/idp-logout.tsx'
import type { SamlFlow } from './sso/flows.ts'
import { chooseNameIdFormat } from './sso/name-id-policy.ts'
import { type IncomingBinding, receiveAuthnRequest } from './sso/receive-authn-request.ts'
import { idpInitiatedAcs } from './sso/resolve-acs.ts'

/**
 * The IdP's sign-in and sign-out routes (SAML SSO, the login form, artifact resolution, single
 * logout); create-idp.tsx lists what each does and the paths (signInPaths) it loads them for on first use.
 */
export function signInRoutes(context: IdpContext): Hono {
  const app = new Hono()
  const sso = (
    incoming: IncomingBinding,
    c: Parameters<typeof continueFlow>[1],
    claim: ClaimQueuedLogin,
  ) => {
    const accepted = receiveAuthnRequest(
      incoming,
      context.serviceProviders,
      context.options.urls.sso,
      claim,
      context.options.log,
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
      context.options.log(
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
      context.options.log(
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
  return app
}

function rawQueryOf(url: string): string {
  const index = url.indexOf('?')
  return index === -1 ? '' : url.slice(index + 1)
}
