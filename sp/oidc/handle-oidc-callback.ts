import { timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import { SsoError } from '../../core/errors/index.ts'
import { completeSignIn } from '../accounts/complete-sign-in.tsx'
import type { SpContext } from '../context.ts'
import { fetchUserinfo } from './fetch-userinfo.ts'
import type { OidcRuntime } from './runtime.ts'
import { subjectFromOidc } from './subject.ts'
import { requestTokens } from './token-request.ts'
import { validateIdToken } from './validate-id-token.ts'

/**
 * GET /oidc/callback — the redirect URI. The checks, in order; only when all pass does the
 * session start:
 *   1. a login this browser started (pre-login cookie), unexpired; taken, so used once   OIDC_STATE_MISMATCH
 *   2. `state` equals the one sent                                                      OIDC_STATE_MISMATCH
 *   3. `iss` (RFC 9207), when sent, is the configured issuer                            OIDC_ISSUER_MISMATCH
 *   4. no `error` from the IdP                                                          OIDC_AUTHORIZATION_ERROR
 *   5. a `code`                                                                         OIDC_CODE_MISSING
 *   6. the code exchange with client authentication and the code_verifier               OIDC_TOKEN_REQUEST_FAILED / _RESPONSE_INVALID
 *   7. OIDC mode: the ID token (validate-id-token.ts)                                   JWT_* / OIDC_AZP_MISMATCH / OIDC_NONCE_MISMATCH / OIDC_AT_HASH_MISMATCH / IDENTIFIER_LOOK_ALIKE
 *   8. userinfo when there is an endpoint (always in OAuth2 mode): its `sub` is the
 *      ID token's                                                                       OIDC_USERINFO_FAILED / OIDC_USERINFO_SUB_MISMATCH
 *   9. a user: `sub`, or the claim named for it, exact                                   OIDC_SUBJECT_MISSING / IDENTIFIER_LOOK_ALIKE
 */
export async function handleOidcCallback(ctx: SpContext, c: Context, oidc: OidcRuntime) {
  const { options } = ctx
  const { settings } = oidc
  c.header('Cache-Control', 'no-store')
  c.header('Referrer-Policy', 'no-referrer')
  const cookie = getCookie(c, ctx.cookies.oidcPending)
  deleteCookie(c, ctx.cookies.oidcPending, { path: '/' })
  const pending = oidc.pending.take(cookie)
  const param = (name: string) => c.req.query(name)
  const state = param(settings.parameterNames.state ?? 'state')
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
  const iss = param('iss')
  if (iss !== undefined && settings.issuer !== undefined && iss !== settings.issuer) {
    throw new SsoError(
      'OIDC_ISSUER_MISMATCH',
      'iss',
      'the authorization response comes from another issuer',
      {
        expected: settings.issuer,
        received: iss.slice(0, 200),
      },
    )
  }
  const error = param('error')
  if (error !== undefined) {
    throw new SsoError(
      'OIDC_AUTHORIZATION_ERROR',
      'error',
      'the IdP answered with an error instead of a code',
      {
        error: error.slice(0, 100),
        description: (param('error_description') ?? '').slice(0, 200),
      },
    )
  }
  const code = param('code')
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
  const idTokenClaims =
    settings.mode === 'oidc' && tokens.idToken !== undefined
      ? await validateIdToken(oidc, tokens.idToken, {
          nonce: pending.nonce,
          accessToken: tokens.accessToken,
          now: options.clock.now(),
          clockSkewMs: settings.clockSkewMs ?? options.clockSkewMs,
        })
      : {}
  const userinfo =
    endpoints.userinfoUrl !== undefined
      ? await fetchUserinfo(settings, options.fetch, {
          userinfoUrl: endpoints.userinfoUrl,
          accessToken: tokens.accessToken,
        })
      : {}
  if (endpoints.userinfoUrl !== undefined) ctx.diagnostics?.hooks.userinfo(c, userinfo)
  const userinfoSub = userinfo[settings.claimNames.sub ?? 'sub']
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
  const issuer = settings.issuer ?? new URL(endpoints.authorizationUrl).origin
  const subject = subjectFromOidc(idTokenClaims, userinfo, settings.claimNames, issuer)
  options.log(`SP OIDC sign-in accepted for ${subject.nameId}`)
  return completeSignIn(ctx, c, subject, pending.returnPath, {
    ...(tokens.idToken !== undefined ? { idToken: tokens.idToken } : {}),
  })
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
