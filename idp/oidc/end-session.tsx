import type { Context } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import { compactVerify, createLocalJWKSet, decodeJwt } from 'jose'
import { runCheckTable } from '../../core/checks/run-check-table.ts'
import type { IdpContext } from '../context.ts'
import { endSessionState } from '../faults/endpoint-faults.ts'
import { appendQuery } from '../jwt/return-url.ts'
import { idpSessionCookie } from '../session/idp-sessions.ts'
import { signOffRelyingParties } from '../sign-off/sign-off.ts'
import { continueLogout } from '../slo/continue-logout.tsx'
import {
  type EndSessionChecks,
  endSessionChecks,
  hintInvalid,
  type VerifiedHint,
} from './end-session-checks.ts'

/**
 * GET|POST /oidc/end-session — RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2,
 * §3). First the checks of endSessionChecks (end-session-checks.ts), before anything ends; then
 * this browser's IdP session ends, and with it the session at every other party — the
 * initiating client included (Back-Channel Logout §2.7) — as on the IdP's own logout page; the
 * browser goes to post_logout_redirect_uri with `state`, or sees a signed-out page.
 */
export async function endSession(ctx: IdpContext, c: Context) {
  const params =
    c.req.method === 'POST'
      ? Object.fromEntries(
          Object.entries(await c.req.parseBody()).filter(
            (entry): entry is [string, string] => typeof entry[1] === 'string',
          ),
        )
      : c.req.query()
  const hint =
    params.id_token_hint === undefined ? undefined : await verifiedHint(ctx, params.id_token_hint)
  const checks: EndSessionChecks = { ctx, params, hint }
  runCheckTable(endSessionChecks, () => checks)
  const { clientId, client } = checks
  const redirect = params.post_logout_redirect_uri
  const session = ctx.sessions.get(getCookie(c, idpSessionCookie))
  if (session) ctx.sessions.end(session.sessionIndex)
  deleteCookie(c, idpSessionCookie, { path: '/' })
  ctx.options.log(`IdP OIDC end_session${session ? ` of ${session.userId}` : ''}`)
  const state = endSessionState(ctx, params.state?.slice(0, 512), {
    sp: clientId,
    user: session?.userId,
  })
  return continueLogout(ctx, c, {
    initiator: {
      kind: 'rp',
      protocol: 'oidc',
      redirect: redirect !== undefined && client ? backTo(redirect, state) : undefined,
    },
    remaining: session ? [...session.participants] : [],
    awaiting: undefined,
    confirmed: [],
    failed: [],
    signOff: await signOffRelyingParties(ctx, session ? [session] : []),
  })
}

function backTo(redirect: string, state: string | undefined): string {
  return state === undefined ? redirect : appendQuery(new URL(redirect), { state })
}

/**
 * The hint's claims once its signature verifies: with the published keys (RS256, ES256), or for
 * an HS256 hint with the secret of the client it names (OIDC Core §10.1).
 */
async function verifiedHint(ctx: IdpContext, hint: string): Promise<VerifiedHint> {
  const failure = {
    failure: hintInvalid('the id_token_hint is not an ID token signed by this provider'),
  }
  let claims: ReturnType<typeof decodeJwt>
  try {
    claims = decodeJwt(hint)
  } catch {
    return failure
  }
  const audience = typeof claims.aud === 'string' ? claims.aud : claims.aud?.[0]
  const secret = audience === undefined ? undefined : ctx.oidcClients.get(audience)?.clientSecret
  try {
    await compactVerify(hint, createLocalJWKSet(await ctx.keys.jwks()), {
      algorithms: ['RS256', 'ES256'],
    }).catch(async (error) => {
      if (secret === undefined || Buffer.byteLength(secret) < 32) throw error
      await compactVerify(hint, new TextEncoder().encode(secret), { algorithms: ['HS256'] })
    })
  } catch {
    return failure
  }
  return { claims }
}
