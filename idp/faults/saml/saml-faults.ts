import type { IdpContext } from '../../context.ts'
import type { ResponseContent } from '../../response/build-response.ts'
import type { SamlFlow } from '../../sso/flows.ts'
import { buildFaultyResponse, samlResponseFaultKinds } from './build-faulty-response.ts'
import { type ContentFault, contentFaultKinds, shapeContent } from './content-faults.ts'

/**
 * The IdP's hook into SAML Response issuance (response/respond.ts): takes the faults that apply
 * to this SP and user, and returns the Response to send with the content it carries. With no
 * fault, `honest` builds it as always. `saml-replay` sends the previous Response to this SP again.
 */
export async function responseWithFaults(
  ctx: IdpContext,
  flow: SamlFlow,
  userId: string | undefined,
  content: ResponseContent,
  honest: (content: ResponseContent) => Promise<string>,
): Promise<{ xml: string; content: ResponseContent }> {
  const target = { sp: flow.sp.entityId, user: userId }
  const previous = ctx.faults.previous(flow.sp.entityId)
  if (previous && ctx.faults.take(['saml-replay'], target).length > 0) {
    return { xml: previous.responseXml, content }
  }
  const faults = ctx.faults.take(samlResponseFaultKinds, target)
  if (faults.length === 0) return { xml: await honest(content), content }
  const shaped = shapeContent(
    content,
    faults.filter((fault): fault is ContentFault => contentFaultKinds.includes(fault.kind)),
    otherRequestId(ctx, flow),
  )
  const xml = await buildFaultyResponse({
    content: shaped,
    faults,
    signResponse: flow.sp.signResponse,
    signAssertion: flow.sp.signAssertion,
    encryption: flow.sp.encryptAssertion
      ? {
          certificatePem: flow.sp.encryptionCertificates[0] ?? '',
          contentAlgorithm: flow.sp.encryptionAlgorithm,
        }
      : undefined,
    credential: ctx.options.credential,
    faultCredential: (name) => ctx.faults.credential(name),
  })
  return { xml, content: shaped }
}

/** The ID of the latest other AuthnRequest this SP sent, from the journal. */
function otherRequestId(ctx: IdpContext, flow: SamlFlow): string | undefined {
  const requests = ctx.journal.list({ sp: flow.sp.entityId, message: 'AuthnRequest' })
  for (const entry of requests.reverse()) {
    if (entry.message === 'AuthnRequest' && entry.id !== flow.requestId) return entry.id
  }
  return undefined
}
