import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { decodePost } from '../../core/saml/post.ts'
import { parseXml } from '../../core/xml/index.ts'
import { validateResponse } from '../acs/validate-response.ts'
import {
  arrivingSignIn,
  findSignedInAgent,
  refuseSignIn,
  requireSso,
  startAgentSession,
} from './complete-agent-sign-in.ts'
import type { AgentSsoContext } from './context.ts'
import { agentValidationSettings } from './create-agent-sso.ts'

/**
 * POST /agent/saml/acs — an agent's SAML sign-in (HTTP-POST), its checks in order:
 *   1. the site of the sign-in this browser started (else the one it remembers)   AGENT_SITE_UNKNOWN, shown here
 *   2. SSO is on for the site, in SAML                           AGENT_SSO_OFF, AGENT_PROTOCOL_MISMATCH
 *   3. the Response, by the ACS's own checks (acs/validate-response.ts) with the site's IdP
 *      entity ID and certificate; it must answer this browser's AuthnRequest
 *   4. siteId, loginName or NameID, the agent (complete-agent-sign-in.ts)
 * A failure from 2 on goes to the site's login-error page with ?reason=<code>. Only when every
 * check passes does anything change: the request is consumed, the IDs enter the replay cache,
 * the agent session starts.
 */
export async function handleAgentAcs(ctx: AgentSsoContext, c: Context) {
  const { site, pending, pendingKey } = arrivingSignIn(ctx, c)
  try {
    requireSso(site, 'saml')
    const { xml } = decodePost(await c.req.parseBody({ all: true }), 'SAMLResponse')
    const validated = validateResponse(parseXml(xml), agentValidationSettings(ctx, site), {
      clock: ctx.options.clock,
      replay: ctx.replay,
      isPendingRequest: (id) => pending?.requestId === id,
      awaitsResponse: pending?.requestId !== undefined,
      signInStarted: pendingKey !== undefined,
    })
    const agent = findSignedInAgent(ctx, site, {
      siteId: validated.attributes.siteId?.[0],
      loginName: validated.attributes.loginName?.[0],
      subject: validated.nameId,
    })
    if (pendingKey) ctx.pending.delete(pendingKey)
    ctx.replay.add(`Response:${validated.responseId}`, validated.notOnOrAfter)
    ctx.replay.add(`Assertion:${validated.assertionId}`, validated.notOnOrAfter)
    return startAgentSession(ctx, c, agent, 'saml', pending?.returnPath ?? '/agent')
  } catch (error) {
    if (error instanceof SsoError) return refuseSignIn(ctx, c, site, error)
    throw error
  }
}
