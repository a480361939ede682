import { SsoError } from '../../core/errors/index.ts'
import { fetchText } from '../../core/jwt/fetch-json.ts'
import { verifyProviderJwt } from './provider-jwt.ts'
import type { OidcRuntime } from './runtime.ts'

/**
 * The userinfo response (OIDC Core §5.3.2), fetched with the Bearer access token: a JSON object,
 * or a JWT (application/jwt) signed by the provider for this client — verified like an ID token,
 * `iss` and `aud` included — when the client registered userinfo_signed_response_alg. With
 * `requireSignedUserinfo`, plain JSON is refused.
 *   OIDC_USERINFO_FAILED      no answer, an error, or not a JSON object
 *   OIDC_USERINFO_UNSIGNED    JSON where a signed answer is required
 *   JWT_*                     a signed answer that fails its checks
 */
export async function fetchUserinfo(
  oidc: OidcRuntime,
  fetchImpl: typeof fetch,
  request: { userinfoUrl: string; accessToken: string; now: number; clockSkewMs: number },
): Promise<Record<string, unknown>> {
  const { settings } = oidc
  const answer = await fetchText({
    fetch: fetchImpl,
    url: request.userinfoUrl,
    init: {
      headers: {
        Authorization: `Bearer ${request.accessToken}`,
        Accept: 'application/json, application/jwt',
      },
    },
    timeoutMs: settings.httpTimeoutMs,
    failure: { code: 'OIDC_USERINFO_FAILED', check: 'userinfo' },
  })
  const type = (answer.headers.get('content-type') ?? '').toLowerCase()
  if (answer.status === 200 && type.startsWith('application/jwt')) {
    const { claims } = await verifyProviderJwt(oidc, answer.text.trim(), {
      label: 'signed userinfo',
      now: request.now,
      clockSkewMs: request.clockSkewMs,
      requiredClaims: [],
      issuer: true,
      audience: true,
    })
    const { iss: _iss, aud: _aud, exp: _exp, iat: _iat, nbf: _nbf, ...rest } = claims
    return rest
  }
  const json = parseObject(answer.text)
  if (answer.status !== 200 || json === undefined) {
    throw new SsoError(
      'OIDC_USERINFO_FAILED',
      'userinfo',
      'the userinfo endpoint did not answer with the claims',
      {
        status: answer.status,
        error: typeof json?.error === 'string' ? json.error.slice(0, 100) : null,
      },
    )
  }
  if (settings.requireSignedUserinfo) {
    throw new SsoError(
      'OIDC_USERINFO_UNSIGNED',
      'userinfo',
      'the userinfo answer is plain JSON, but this client requires it signed',
      { contentType: type.slice(0, 60) },
    )
  }
  return json
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}
