import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { SsoError } from '../../core/errors/index.ts'
import { bindings } from '../../core/saml/constants.ts'
import type { IdpContext } from '../context.ts'
import { issueArtifact } from '../faults/artifact-faults.ts'
import { successOf } from '../login/continue-flow.tsx'
import { buildFlowResponse } from '../response/respond.ts'
import { defaultAcs } from '../service-providers/registration.ts'
import { idpSessionCookie } from '../session/idp-sessions.ts'
import type { SamlFlow } from '../sso/flows.ts'

/**
 * POST /saml/page-artifact?sp=<entityID> — the SAML side of IdP-initiated sign-in from page
 * JavaScript (Comm100's `set('livechat.sso.artifact', …)`): for the visitor signed in here, an
 * unsolicited Response to the SP stays at the IdP and the page gets only its SAMLart
 * (saml-bindings §3.6), which it hands to the SP's messenger; the SP resolves it over SOAP as
 * any artifact. Only an SP that accepts IdP-initiated sign-in gets one, and the answer is
 * readable cross-origin only by the origins of the SP's ACS (CORS with credentials); without an
 * IdP session it is a 401.
 */
export async function artifactForPage(ctx: IdpContext, c: Context) {
  const entityId = c.req.query('sp') ?? ''
  const sp = ctx.serviceProviders.get(entityId)
  if (!sp?.allowIdpInitiated) {
    throw new SsoError(
      'SAML_REQUEST_UNKNOWN_SP',
      'sp',
      'no registered service provider accepts IdP-initiated sign-in under this entity ID',
      { sp: entityId.slice(0, 200) },
    )
  }
  const acs = defaultAcs(sp, bindings.artifact)
  if (!acs) {
    throw new SsoError(
      'SAML_REQUEST_ACS_NOT_ALLOWED',
      'AssertionConsumerService',
      'the SP has no HTTP-Artifact ACS',
      { sp: sp.entityId },
    )
  }
  const origin = c.req.header('origin')
  if (origin && sp.assertionConsumerServices.some((each) => originOf(each.location) === origin)) {
    c.header('Access-Control-Allow-Origin', origin)
    c.header('Access-Control-Allow-Credentials', 'true')
  }
  c.header('Vary', 'Origin')
  c.header('Cache-Control', 'no-store')
  const session = ctx.sessions.get(getCookie(c, idpSessionCookie))
  const user = session ? ctx.users.get(session.userId) : undefined
  if (!session || !user) {
    throw new SsoError(
      'IDP_SESSION_REQUIRED',
      'session',
      'the visitor is not signed in at the IdP',
      {
        sp: sp.entityId,
      },
    )
  }
  const flow: SamlFlow = {
    kind: 'saml',
    sp,
    acsUrl: acs.location,
    responseBinding: 'artifact',
    requestId: undefined,
    relayState: undefined,
    forceAuthn: false,
    loginHint: undefined,
    nameIdFormat: sp.nameIdFormat,
    nameIdRequested: false,
  }
  const { xml } = await buildFlowResponse(
    ctx,
    flow,
    successOf(ctx, flow, user, session, session.method ?? 'password'),
  )
  ctx.options.log(`IdP artifact handed to a page of ${sp.entityId} for ${user.id}`)
  return c.json({ artifact: issueArtifact(ctx, sp.entityId, user.id, xml) })
}

function originOf(url: string): string | undefined {
  return URL.canParse(url) ? new URL(url).origin : undefined
}
