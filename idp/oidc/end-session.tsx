import type { Context } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import { compactVerify, createLocalJWKSet, decodeJwt } from 'jose'
import { SsoError } from '../../core/errors/index.ts'
import type { IdpContext } from '../context.ts'
import { endSessionState } from '../faults/endpoint-faults.ts'
import { appendQuery } from '../jwt/return-url.ts'
import { idpSessionCookie } from '../session/idp-sessions.ts'
import { signOffRelyingParties } from '../sign-off/sign-off.ts'
import { continueLogout } from '../slo/continue-logout.tsx'
import type { OidcClient } from './clients.ts'

/**
 * GET|POST /oidc/end-session — RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2,
 * §3). In order, before anything ends:
 *   1. id_token_hint, when sent, is an ID token this provider signed (expired is fine)   OIDC_ID_TOKEN_HINT_INVALID
 *   2. the client: the hint's audience and client_id agree when both are sent            OIDC_ID_TOKEN_HINT_INVALID
 *   3. post_logout_redirect_uri, when sent, is one the client registered, exactly
 *      (and needs a known client)                                                        OIDC_POST_LOGOUT_REDIRECT_URI_NOT_ALLOWED
 * Then this browser's IdP session ends, and with it the session at every other party — the
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
  const hinted =
    params.id_token_hint === undefined ? undefined : await hintedClientId(ctx, params.id_token_hint)
  if (hinted !== undefined && params.client_id !== undefined && hinted !== params.client_id) {
    throw hintInvalid('the id_token_hint was issued to another client than client_id')
  }
  const clientId = hinted ?? params.client_id
  const client = clientId === undefined ? undefined : ctx.oidcClients.get(clientId)
  const redirect = params.post_logout_redirect_uri
  if (redirect !== undefined && !client?.postLogoutRedirectUris.includes(redirect)) {
    throw new SsoError(
      'OIDC_POST_LOGOUT_REDIRECT_URI_NOT_ALLOWED',
      'post_logout_redirect_uri',
      'the post_logout_redirect_uri is not registered for the client',
      { clientId: (clientId ?? '').slice(0, 200), postLogoutRedirectUri: redirect.slice(0, 200) },
    )
  }
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

/** The client an ID token hint was issued to, after its signature and issuer check out. */
async function hintedClientId(ctx: IdpContext, hint: string): Promise<OidcClient['clientId']> {
  const claims = await verifiedHint(ctx, hint)
  if (claims.iss !== ctx.options.issuer)
    throw hintInvalid('the id_token_hint was issued by another provider')
  const clientId =
    typeof claims.azp === 'string'
      ? claims.azp
      : Array.isArray(claims.aud)
        ? claims.aud[0]
        : claims.aud
  if (typeof clientId !== 'string') throw hintInvalid('the id_token_hint names no client')
  return clientId
}

/**
 * The hint's claims once its signature verifies: with the published keys (RS256, ES256), or for
 * an HS256 hint with the secret of the client it names (OIDC Core §10.1).
 */
async function verifiedHint(ctx: IdpContext, hint: string) {
  let claims: ReturnType<typeof decodeJwt>
  try {
    claims = decodeJwt(hint)
  } catch {
    throw hintInvalid('the id_token_hint is not an ID token signed by this provider')
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
    throw hintInvalid('the id_token_hint is not an ID token signed by this provider')
  }
  return claims
}

function hintInvalid(reason: string): SsoError {
  return new SsoError('OIDC_ID_TOKEN_HINT_INVALID', 'id_token_hint', reason, {})
}
