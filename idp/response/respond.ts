import type { Context } from 'hono'
import { newId } from '../../core/random/index.ts'
import { authnContextUnspecified, nameIdFormats, statusCodes } from '../../core/saml/constants.ts'
import { postForm } from '../../core/saml/post.ts'
import { deliverByArtifact } from '../artifact/deliver-artifact.ts'
import type { IdpContext } from '../context.ts'
import type { StatedContext } from '../faults/authn-context.ts'
import { relayStateWithFaults } from '../faults/return-path.ts'
import { responseWithFaults } from '../faults/saml/saml-faults.ts'
import type { IdpSession } from '../session/idp-sessions.ts'
import type { SamlFlow } from '../sso/flows.ts'
import type { IdpUser } from '../users/user.ts'
import { attributesFor } from './attribute-profiles.ts'
import { buildEncryptedResponse } from './build-encrypted-response.ts'
import { buildResponse, type ResponseContent } from './build-response.ts'
import { issueNameId } from './name-id.ts'

export type Outcome =
  | { kind: 'success'; user: IdpUser; session: IdpSession; context: StatedContext }
  /** `code`: the top-level status (default Responder); `status`: the second-level one. */
  | { kind: 'failure'; code?: string; status: string; message: string }

/**
 * Answers a flow in the binding chosen for it (sso/resolve-acs.ts): HTTP-POST (the
 * auto-submitting form that carries the Response to the ACS) or HTTP-Artifact (only SAMLart
 * travels; see artifact/deliver-artifact.ts).
 */
export async function respond(ctx: IdpContext, c: Context, flow: SamlFlow, outcome: Outcome) {
  const { xml, userId } = await buildFlowResponse(ctx, flow, outcome)
  if (flow.responseBinding === 'artifact') return deliverByArtifact(ctx, c, flow, xml, userId)
  ctx.faults.remember(flow.sp.entityId, { responseXml: xml })
  const target = { sp: flow.sp.entityId, user: userId }
  const relayState = relayStateWithFaults(ctx.faults, target, flow.relayState)
  return c.html(
    postForm({
      action: flow.acsUrl,
      param: 'SAMLResponse',
      xml,
      ...(relayState !== undefined ? { relayState } : {}),
    }),
  )
}

/**
 * The signed (and, as registered, encrypted) Response that answers the flow, with the faults of
 * the moment applied; the session learns which SP was told what. Delivery is the caller's.
 */
export async function buildFlowResponse(
  ctx: IdpContext,
  flow: SamlFlow,
  outcome: Outcome,
): Promise<{ xml: string; userId: string | undefined }> {
  const { options } = ctx
  const now = options.clock.now()
  const lifetimeMs = flow.sp.assertionLifetimeSeconds * 1000
  const base = {
    id: newId(options.random),
    issuer: options.entityId,
    destination: flow.acsUrl,
    inResponseTo: flow.requestId,
    issueInstant: now,
  }
  let planned: ResponseContent
  if (outcome.kind === 'success') {
    const nameId = subjectNameId(ctx, flow, outcome)
    if (!nameId) {
      options.log(
        `IdP response to ${flow.sp.entityId} refused: SAML_REQUEST_NAMEID_POLICY_UNSUPPORTED (${outcome.user.id} has no ${flow.nameIdFormat})`,
      )
      return buildFlowResponse(ctx, flow, {
        kind: 'failure',
        code: statusCodes.requester,
        status: statusCodes.invalidNameIdPolicy,
        message: `SAML_REQUEST_NAMEID_POLICY_UNSUPPORTED: the user has no ${flow.nameIdFormat} identifier`,
      })
    }
    planned = {
      ...base,
      status: { code: statusCodes.success },
      assertion: {
        id: newId(options.random),
        nameId: nameId.value,
        nameIdFormat: nameId.format,
        nameQualifier: nameId.nameQualifier,
        spNameQualifier: nameId.spNameQualifier,
        audience: flow.sp.entityId,
        recipient: flow.acsUrl,
        notBefore: now,
        notOnOrAfter: now + lifetimeMs,
        authnInstant: outcome.session.authnInstant,
        sessionIndex: outcome.session.sessionIndex,
        authnContextClassRef: outcome.context.classRef ?? authnContextUnspecified,
        attributes: attributesFor(outcome.user, flow.sp.attributeProfile, options.scope),
      },
    }
  } else {
    planned = {
      ...base,
      status: {
        code: outcome.code ?? statusCodes.responder,
        subCode: outcome.status,
        message: outcome.message,
      },
    }
  }
  const signing = {
    privateKeyPem: options.credential.privateKeyPem,
    certificatePem: options.credential.certificatePem,
    privateKey: options.credential.privateKey,
    signResponse: flow.sp.signResponse,
    signAssertion: flow.sp.signAssertion,
  }
  // The registration guarantees an encryption certificate when encryptAssertion is set.
  const honest = async (content: ResponseContent) =>
    flow.sp.encryptAssertion && content.assertion
      ? buildEncryptedResponse(content, signing, {
          certificatePem: flow.sp.encryptionCertificates[0] ?? '',
          contentAlgorithm: flow.sp.encryptionAlgorithm,
        })
      : buildResponse(content, signing)
  const userId = outcome.kind === 'success' ? outcome.user.id : undefined
  const { xml, content } = await responseWithFaults(ctx, flow, userId, planned, honest)
  if (content.assertion) {
    // Single logout needs to know who was told what in this session (saml-profiles §4.4.3.2).
    const { nameId, nameIdFormat, sessionIndex, nameQualifier, spNameQualifier } = content.assertion
    ctx.sessions.addParticipant(sessionIndex, {
      spEntityId: flow.sp.entityId,
      nameId,
      nameIdFormat: nameIdFormats[nameIdFormat],
      nameQualifier,
      spNameQualifier,
      sessionIndex,
    })
  }
  options.log(
    `IdP response to ${flow.sp.entityId}: ${outcome.kind === 'success' ? `success for ${outcome.user.id}` : outcome.status}`,
  )
  return { xml, userId }
}

/**
 * The subject's NameID (response/name-id.ts) in the flow's format. A registration whose default
 * is emailAddress falls back to the unspecified user ID for a user without one, rather than a
 * false claim; a request that asked for emailAddress gets InvalidNameIDPolicy instead.
 */
function subjectNameId(
  ctx: IdpContext,
  flow: SamlFlow,
  outcome: Extract<Outcome, { kind: 'success' }>,
) {
  const issued = issueNameId(ctx, flow.sp, outcome.user, outcome.session, flow.nameIdFormat)
  if (issued || flow.nameIdRequested) return issued
  return issueNameId(ctx, flow.sp, outcome.user, outcome.session, 'unspecified')
}
