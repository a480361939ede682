import { SsoError } from '../../core/errors/index.ts'
import { fetchJson } from '../../core/jwt/fetch-json.ts'
import type { ResolvedSpOidcSettings } from './settings.ts'

export interface TokenResponse {
  accessToken: string
  idToken: string | undefined
  refreshToken: string | undefined
}

/** The code exchange (RFC 6749 §4.1.3, OIDC Core §3.1.3.1). */
export function requestTokens(
  settings: ResolvedSpOidcSettings,
  fetchImpl: typeof fetch,
  request: {
    tokenUrl: string
    code: string
    redirectUri: string
    codeVerifier: string | undefined
  },
): Promise<TokenResponse> {
  return tokenRequest(settings, fetchImpl, request.tokenUrl, {
    grant_type: 'authorization_code',
    code: request.code,
    redirect_uri: request.redirectUri,
    ...(request.codeVerifier !== undefined ? { code_verifier: request.codeVerifier } : {}),
  })
}

/** A refresh (RFC 6749 §6, OIDC Core §12.1); failures are OIDC_REFRESH_FAILED. */
export function refreshTokens(
  settings: ResolvedSpOidcSettings,
  fetchImpl: typeof fetch,
  request: { tokenUrl: string; refreshToken: string },
): Promise<TokenResponse> {
  return tokenRequest(
    settings,
    fetchImpl,
    request.tokenUrl,
    { grant_type: 'refresh_token', refresh_token: request.refreshToken },
    'OIDC_REFRESH_FAILED',
  )
}

/**
 * One token request with the configured client authentication: client_secret_basic (id and
 * secret form-urlencoded, RFC 6749 §2.3.1), client_secret_post, or none. The answer must be a
 * Bearer access token, with an ID token in OIDC mode. Nothing of the answer but the OAuth error
 * code goes into an error.
 */
async function tokenRequest(
  settings: ResolvedSpOidcSettings,
  fetchImpl: typeof fetch,
  tokenUrl: string,
  grant: Record<string, string>,
  refused: 'OIDC_TOKEN_REQUEST_FAILED' | 'OIDC_REFRESH_FAILED' = 'OIDC_TOKEN_REQUEST_FAILED',
): Promise<TokenResponse> {
  const body = new URLSearchParams(grant)
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' }
  const method =
    settings.clientAuthentication ??
    (settings.clientSecret !== undefined ? 'client_secret_basic' : 'none')
  if (method === 'client_secret_basic') {
    const pair = `${formEncode(settings.clientId)}:${formEncode(settings.clientSecret ?? '')}`
    headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`
  } else {
    body.set('client_id', settings.clientId)
    if (method === 'client_secret_post') body.set('client_secret', settings.clientSecret ?? '')
  }
  const answer = await fetchJson({
    fetch: fetchImpl,
    url: tokenUrl,
    init: { method: 'POST', headers, body: body.toString() },
    timeoutMs: settings.httpTimeoutMs,
    failure: { code: refused, check: 'token' },
  })
  const json = (answer.json ?? {}) as Record<string, unknown>
  if (answer.status !== 200) {
    throw new SsoError(refused, 'token', 'the token endpoint refused the grant', {
      status: answer.status,
      grantType: grant.grant_type ?? null,
      error: typeof json.error === 'string' ? json.error.slice(0, 100) : null,
    })
  }
  const tokenType = typeof json.token_type === 'string' ? json.token_type.toLowerCase() : undefined
  if (typeof json.access_token !== 'string' || json.access_token === '' || tokenType !== 'bearer') {
    throw new SsoError(
      'OIDC_TOKEN_RESPONSE_INVALID',
      'access_token',
      'the token response carries no Bearer access token',
      {
        tokenType: tokenType?.slice(0, 20) ?? null,
      },
    )
  }
  const idToken = typeof json.id_token === 'string' ? json.id_token : undefined
  if (settings.mode === 'oidc' && idToken === undefined) {
    throw new SsoError(
      'OIDC_TOKEN_RESPONSE_INVALID',
      'id_token',
      'the token response carries no ID token',
      {},
    )
  }
  const refreshToken =
    typeof json.refresh_token === 'string' && json.refresh_token !== ''
      ? json.refresh_token
      : undefined
  return { accessToken: json.access_token, idToken, refreshToken }
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+')
}
