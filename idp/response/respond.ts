import type { Context } from 'hono'
import { newId } from '../../core/random/index.ts'
import { nameIdFormats, statusCodes } from '../../core/saml/constants.ts'
import { postForm } from '../../core/saml/post.ts'
import { deliverByArtifact } from '../artifact/deliver-artifact.ts'
import type { IdpContext } from '../context.ts'
import { responseWithFaults } from '../faults/saml/saml-faults.ts'
import type { IdpSession } from '../session/idp-sessions.ts'
import type { SamlFlow } from '../sso/flows.ts'
import type { IdpUser } from '../users/user.ts'
import { attributesFor } from './attribute-profiles.ts'
import { buildEncryptedResponse } from './build-encrypted-response.ts'
import { buildResponse, type ResponseContent } from './build-response.ts'

export type Outcome =
  | { kind: 'success'; user: IdpUser; session: IdpSession }
  /** `code`: the top-level status (default Responder); `status`: the second-level one. */
  | { kind: 'failure'; code?: string; status: string; message: string }

/**
 * Answers a flow in the binding chosen for it (sso/resolve-acs.ts): HTTP-POST (the
 * auto-submitting form that carries the Response to the ACS) or HTTP-Artifact (only SAMLart
 * travels; see artifact/deliver-artifact.ts).
 */
export async function respond(ctx: IdpContext, c: Context, flow: SamlFlow, outcome: Outcome) {
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
  const planned: ResponseContent =
    outcome.kind === 'success'
      ? {
          ...base,
          status: { code: statusCodes.success },
          assertion: {
            id: newId(options.random),
            ...nameIdFor(outcome.user, flow.sp.nameIdFormat),
            audience: flow.sp.entityId,
            recipient: flow.acsUrl,
            notBefore: now,
            notOnOrAfter: now + lifetimeMs,
            authnInstant: outcome.session.authnInstant,
            sessionIndex: outcome.session.sessionIndex,
            attributes: attributesFor(outcome.user, flow.sp.attributeProfile, options.scope),
          },
        }
      : {
          ...base,
          status: {
            code: outcome.code ?? statusCodes.responder,
            subCode: outcome.status,
            message: outcome.message,
          },
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
    const { nameId, nameIdFormat, sessionIndex } = content.assertion
    ctx.sessions.addParticipant(sessionIndex, {
      spEntityId: flow.sp.entityId,
      nameId,
      nameIdFormat: nameIdFormats[nameIdFormat],
      sessionIndex,
    })
  }
  options.log(
    `IdP response to ${flow.sp.entityId}: ${outcome.kind === 'success' ? `success for ${outcome.user.id}` : outcome.status}`,
  )
  if (flow.responseBinding === 'artifact') return deliverByArtifact(ctx, c, flow, xml, userId)
  ctx.faults.remember(flow.sp.entityId, { responseXml: xml })
  return c.html(
    postForm({
      action: flow.acsUrl,
      param: 'SAMLResponse',
      xml,
      ...(flow.relayState !== undefined ? { relayState: flow.relayState } : {}),
    }),
  )
}

/**
 * The NameID in the SP's format: the email address for emailAddress; otherwise the user's
 * stable ID. A user without an email gets the unspecified format rather than a false claim.
 */
function nameIdFor(
  user: IdpUser,
  format: SamlFlow['sp']['nameIdFormat'],
): { nameId: string; nameIdFormat: SamlFlow['sp']['nameIdFormat'] } {
  if (format === 'emailAddress') {
    return user.email
      ? { nameId: user.email, nameIdFormat: format }
      : { nameId: user.id, nameIdFormat: 'unspecified' }
  }
  return { nameId: user.id, nameIdFormat: format }
}
