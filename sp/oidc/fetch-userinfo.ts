import { SsoError } from '../../core/errors/index.ts'
import { fetchJson } from '../../core/jwt/fetch-json.ts'
import type { ResolvedSpOidcSettings } from './settings.ts'

/** The userinfo response (OIDC Core §5.3.2): a JSON object, fetched with the Bearer access token. */
export async function fetchUserinfo(
  settings: ResolvedSpOidcSettings,
  fetchImpl: typeof fetch,
  request: { userinfoUrl: string; accessToken: string },
): Promise<Record<string, unknown>> {
  const answer = await fetchJson({
    fetch: fetchImpl,
    url: request.userinfoUrl,
    init: { headers: { Authorization: `Bearer ${request.accessToken}` } },
    timeoutMs: settings.httpTimeoutMs,
    failure: { code: 'OIDC_USERINFO_FAILED', check: 'userinfo' },
  })
  const json = answer.json
  if (answer.status !== 200 || typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SsoError(
      'OIDC_USERINFO_FAILED',
      'userinfo',
      'the userinfo endpoint did not answer with the claims',
      {
        status: answer.status,
        error:
          typeof (json as { error?: unknown } | null)?.error === 'string'
            ? String((json as { error: string }).error).slice(0, 100)
            : null,
      },
    )
  }
  return json as Record<string, unknown>
}
