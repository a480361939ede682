import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { verifySignInToken } from '../jwt/validate-token.ts'
import {
  arrivingSignIn,
  findSignedInAgent,
  refuseSignIn,
  requireSso,
  startAgentSession,
} from './complete-agent-sign-in.ts'
import type { AgentSsoContext } from './context.ts'

/**
 * GET /agent/jwt/callback?token=… — an agent's JWT sign-in (Comm100 agent SSO), its checks in
 * order:
 *   1. the site of the sign-in this browser started (else the one it remembers)   AGENT_SITE_UNKNOWN, shown here
 *   2. SSO is on for the site, in JWT                            AGENT_SSO_OFF, AGENT_PROTOCOL_MISMATCH
 *   3. a token, not an error                                     JWT_TOKEN_MISSING, JWT_SIGN_IN_FAILED
 *   4. the token, by the SP's own JWT checks (jwt/validate-token.ts): RS256 with the site's
 *      certificate, `iss` and `aud` when the site sets them, exp/nbf/iat, not replayed
 *   5. claims siteId, loginName (else `id`/`sub`), the agent (complete-agent-sign-in.ts)
 * A failure from 2 on goes to the site's login-error page with ?reason=<code>.
 */
export async function handleAgentJwtCallback(ctx: AgentSsoContext, c: Context) {
  c.header('Cache-Control', 'no-store')
  c.header('Referrer-Policy', 'no-referrer')
  const { options } = ctx
  const { site, pending, pendingKey } = arrivingSignIn(ctx, c)
  try {
    requireSso(site, 'jwt')
    const token = c.req.query('token')
    if (!token) {
      const error = c.req.query('error')
      if (error !== undefined) {
        throw new SsoError('JWT_SIGN_IN_FAILED', 'error', 'the IdP answered with an error', {
          error: error.slice(0, 100),
        })
      }
      throw new SsoError('JWT_TOKEN_MISSING', 'token', 'the request carries no token', {})
    }
    const accepted = await verifySignInToken(
      token,
      {
        algorithms: ['RS256'],
        issuer: site.issuer,
        audience: site.audience,
        clockSkewMs: options.clockSkewMs,
        maxTokenBytes: 8192,
        requiredAuthnContext: site.authnContext,
      },
      {
        keys: { publicKeys: site.certificates.map((certificate) => certificate.publicKey) },
        now: options.clock.now(),
        replay: ctx.replay,
      },
    )
    const agent = findSignedInAgent(ctx, site, {
      siteId: claimText(accepted.claims.siteId),
      loginName: claimText(accepted.claims.loginName),
      subject: accepted.subject.nameId,
    })
    if (pendingKey) ctx.pending.delete(pendingKey)
    ctx.replay.add(accepted.replayKey, accepted.keepUntil)
    return startAgentSession(ctx, c, agent, 'jwt', pending?.returnPath ?? '/agent')
  } catch (error) {
    if (error instanceof SsoError) return refuseSignIn(ctx, c, site, error)
    throw error
  }
}

/** A claim as text: a string as it is, a number (a numeric site ID) in decimal; else absent. */
function claimText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return undefined
}
