import { timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import { SsoError } from '../../core/errors/index.ts'
import { completeSignIn } from '../accounts/complete-sign-in.tsx'
import type { SpContext } from '../context.ts'
import { checkAuthnContext, tokenAuthnContext } from '../login/check-authn-context.ts'
import { isPassiveRefusal, stayGuest } from '../login/passive-sign-in.ts'
import { writeTogether } from '../store/write-together.ts'
import { resolveClaimSources } from './claim-sources.ts'
import { fetchUserinfo } from './fetch-userinfo.ts'
import type { OidcRuntime } from './runtime.ts'
import { subjectFromOidc } from './subject.ts'
import { requestTokens } from './token-request.ts'
import { validateIdToken } from './validate-id-token.ts'

/**
 * GET /oidc/callback (POST with response mode form_post) — the redirect URI. The checks, in
 * order; only when all pass does the session start:
 *   1. a login this browser started (pre-login cookie), unexpired; taken, so used once   OIDC_STATE_MISMATCH
 *   2. `state` equals the one sent                                                      OIDC_STATE_MISMATCH
 *   3. `iss` (RFC 9207), when sent, is the configured issuer                            OIDC_ISSUER_MISMATCH
 *      and sent when the provider advertises authorization_response_iss_parameter_supported   OIDC_ISSUER_MISSING
 *   4. no `error` from the IdP (after prompt=none, login_required & co. mean "stay a guest")  OIDC_AUTHORIZATION_ERROR
 *      (unmet_authentication_requirements: the required context cannot be met)          SP_AUTHN_CONTEXT_UNAVAILABLE
 *   5. a `code`                                                                         OIDC_CODE_MISSING
 *   6. the code exchange with client authentication and the code_verifier               OIDC_TOKEN_REQUEST_FAILED / _RESPONSE_INVALID
 *   7. OIDC mode: the ID token (validate-id-token.ts)                                   JWT_* / OIDC_AZP_MISMATCH / OIDC_NONCE_MISMATCH / OIDC_AT_HASH_MISMATCH / IDENTIFIER_LOOK_ALIKE
 *   7b. the ID token's `acr` (or `amr`'s mfa) meets the campaign's authnContext, if any    SP_AUTHN_CONTEXT_INSUFFICIENT
 *   8. userinfo when there is an endpoint (always in OAuth2 mode), JSON or signed; its
 *      `sub` is the ID token's                                                          OIDC_USERINFO_FAILED / _UNSIGNED / _SUB_MISMATCH / JWT_*
 *   9. aggregated and distributed claims verified, or dropped with a warning (claim-sources.ts)
 *  10. a user: `sub`, or the claim named for it, exact                                   OIDC_SUBJECT_MISSING / IDENTIFIER_LOOK_ALIKE
 * The ID token's `sid` is kept as the session's index for front- and back-channel logout, and a
 * refresh token sealed with the new session's cookie (POST /oidc/refresh).
 */
export async function handleOidcCallback(ctx: SpContext, c: Context, oidc: OidcRuntime) {
  const { options } = ctx
  const { settings } = oidc
  c.header('Cache-Control', 'no-store')
  c.header('Referrer-Policy', 'no-referrer')
  const params = await answerParams(c)
  const cookie = getCookie(c, ctx.cookies.oidcPending)
  deleteCookie(c, ctx.cookies.oidcPending, { path: '/' })
  const pending = oidc.pending.take(cookie)
  const state = params[settings.parameterNames.state ?? 'state']
  if (!pending || state === undefined || !same(state, pending.state)) {
    throw new SsoError(
      'OIDC_STATE_MISMATCH',
      'state',
      'this answer does not belong to a sign-in this browser started',
      {
        loginStarted: pending !== undefined,
        stateSent: state !== undefined,
      },
    )
  }
  await checkIssuer(oidc, params.iss)
  const error = params.error
  if (pending.passive && isPassiveRefusal(error)) return stayGuest(ctx, c, pending.returnPath)
  if (error === unmetAuthenticationRequirements) {
    throw new SsoError(
      'SP_AUTHN_CONTEXT_UNAVAILABLE',
      'error',
      'the IdP cannot sign this user in with the authentication context required',
      { error },
    )
  }
  if (error !== undefined) {
    throw new SsoError(
      'OIDC_AUTHORIZATION_ERROR',
      'error',
      'the IdP answered with an error instead of a code',
      {
        error: error.slice(0, 100),
        description: (params.error_description ?? '').slice(0, 200),
      },
    )
  }
  const code = params.code
  if (!code)
    throw new SsoError(
      'OIDC_CODE_MISSING',
      'code',
      'the authorization response carries no code',
      {},
    )

  const endpoints = await oidc.provider.endpoints()
  const tokens = await requestTokens(settings, options.fetch, {
    tokenUrl: endpoints.tokenUrl,
    code,
    redirectUri: options.urls.oidcCallback,
    codeVerifier: pending.codeVerifier,
  })
  if (tokens.idToken !== undefined) ctx.diagnostics?.hooks.token(c, 'id_token', tokens.idToken)
  const at = { now: options.clock.now(), clockSkewMs: settings.clockSkewMs ?? options.clockSkewMs }
  const idTokenClaims =
    settings.mode === 'oidc' && tokens.idToken !== undefined
      ? await validateIdToken(oidc, tokens.idToken, {
          nonce: pending.nonce,
          accessToken: tokens.accessToken,
          ...at,
        })
      : {}
  const stated = tokenAuthnContext(idTokenClaims, ctx.campaign.authnContext)
  checkAuthnContext(ctx.campaign.authnContext, stated, 'acr')
  const answered =
    endpoints.userinfoUrl !== undefined
      ? await fetchUserinfo(oidc, options.fetch, {
          userinfoUrl: endpoints.userinfoUrl,
          accessToken: tokens.accessToken,
          ...at,
        })
      : {}
  if (endpoints.userinfoUrl !== undefined) ctx.diagnostics?.hooks.userinfo(c, answered)
  const userinfoSub = answered[settings.claimNames.sub ?? 'sub']
  // OIDC Core §5.3.2: the sub in the UserInfo Response must exactly match the ID token's.
  if (
    endpoints.userinfoUrl !== undefined &&
    idTokenClaims.sub !== undefined &&
    userinfoSub !== idTokenClaims.sub
  ) {
    throw new SsoError(
      'OIDC_USERINFO_SUB_MISMATCH',
      'sub',
      'userinfo describes another user than the ID token',
      {
        idToken: idTokenClaims.sub,
        userinfo: typeof userinfoSub === 'string' ? userinfoSub.slice(0, 200) : null,
      },
    )
  }
  const fromToken = await resolveClaimSources(oidc, options.fetch, idTokenClaims, at)
  const userinfo = await resolveClaimSources(oidc, options.fetch, answered, at)
  for (const dropped of [...fromToken.dropped, ...userinfo.dropped]) {
    options.log(
      `SP OIDC sign-in warning OIDC_CLAIM_SOURCE_INVALID: claims ${dropped.claims.join(', ')} of source ${dropped.source} dropped (${dropped.code})`,
    )
  }
  const issuer = settings.issuer ?? new URL(endpoints.authorizationUrl).origin
  const subject = subjectFromOidc(fromToken.claims, userinfo.claims, settings.claimNames, issuer)
  const sid = idTokenClaims.sid
  options.log(`SP OIDC sign-in accepted for ${subject.nameId}`)
  // One commit for the contact and the session.
  return writeTogether(ctx.db, () =>
    completeSignIn(
      ctx,
      c,
      {
        ...subject,
        authnContext: stated,
        ...(typeof sid === 'string' ? { sessionIndex: sid } : {}),
      },
      pending.returnPath,
      {
        ...(tokens.idToken !== undefined ? { idToken: tokens.idToken } : {}),
        ...(tokens.refreshToken !== undefined ? { refreshToken: tokens.refreshToken } : {}),
      },
    ),
  )
}

/** The authorization response: the query, or with form_post the posted form. */
async function answerParams(c: Context): Promise<Record<string, string | undefined>> {
  if (c.req.method !== 'POST') return c.req.query()
  const form = await c.req.parseBody()
  return Object.fromEntries(
    Object.entries(form).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  )
}

// RFC 9207 §2.4: compare iss when sent; require it when the provider says it always sends it.
async function checkIssuer(oidc: OidcRuntime, iss: string | undefined) {
  const expected = oidc.settings.issuer
  if (iss !== undefined && expected !== undefined && iss !== expected) {
    throw new SsoError(
      'OIDC_ISSUER_MISMATCH',
      'iss',
      'the authorization response comes from another issuer',
      {
        expected,
        received: iss.slice(0, 200),
      },
    )
  }
  if (iss === undefined && (await oidc.provider.requiresIssParameter())) {
    throw new SsoError(
      'OIDC_ISSUER_MISSING',
      'iss',
      'the provider always sends iss in its authorization response, and this one has none',
      { expected: expected ?? null },
    )
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** OpenID Connect Core Unmet Authentication Requirements §2: the asked context cannot be met. */
const unmetAuthenticationRequirements = 'unmet_authentication_requirements'
