import type { Context } from 'hono'
import { selfSubmittingForm } from '../../core/saml/post.ts'
import type { IdpContext } from '../context.ts'
import { issueArtifact } from '../faults/artifact-faults.ts'
import { relayStateWithFaults } from '../faults/return-path.ts'
import type { SamlFlow } from '../sso/flows.ts'

/**
 * HTTP-Artifact binding, sending side (saml-bindings §3.6.3): the Response stays at the IdP and
 * the browser carries only SAMLart (and RelayState) to the ACS, by a 302 redirect or by a
 * self-submitting form, as the SP's registration asks (`artifactDelivery`).
 */
export function deliverByArtifact(
  ctx: IdpContext,
  c: Context,
  flow: SamlFlow,
  responseXml: string,
  userId: string | undefined,
) {
  const relayState = relayStateWithFaults(
    ctx.faults,
    { sp: flow.sp.entityId, user: userId },
    flow.relayState,
  )
  const fields: Record<string, string> = {
    SAMLart: issueArtifact(ctx, flow.sp.entityId, userId, responseXml),
    ...(relayState !== undefined ? { RelayState: relayState } : {}),
  }
  ctx.options.log(`IdP artifact issued to ${flow.sp.entityId} (${flow.sp.artifactDelivery})`)
  c.header('Cache-Control', 'no-store')
  if (flow.sp.artifactDelivery === 'post') return c.html(selfSubmittingForm(flow.acsUrl, fields))
  const target = new URL(flow.acsUrl)
  for (const [name, value] of Object.entries(fields)) target.searchParams.append(name, value)
  return c.redirect(target.toString(), 302)
}
