import { policedFetch } from '../../core/http/fetch-policy/policed-fetch.ts'
import { causeOf, readCapped } from '../../core/http/outbound.ts'
import type { IdpContext } from '../context.ts'

/** How long the IdP waits for an RP to answer a logout token. */
const timeoutMs = 5_000

/** What one RP answered a logout token: confirmed on 200 (Back-Channel Logout §2.8), else why not. */
export type BackChannelAnswer = { outcome: 'confirmed' } | { outcome: 'failed'; detail: string }

/**
 * POSTs a logout token to an RP's back-channel logout URI (or a JWT SP's sign-off URL) as the
 * form field `logout_token` (§2.5), through the IdP's injected fetch under its outbound policy (a
 * client registered through the admin API cannot aim it at link-local or private hosts:
 * OUTBOUND_HOST_NOT_ALLOWED), without following redirects and within 5 s. The answer's
 * `error_description` (clipped) says why an RP refused.
 */
export async function postLogoutToken(
  ctx: IdpContext,
  url: string,
  token: string,
): Promise<BackChannelAnswer> {
  const signal = AbortSignal.timeout(timeoutMs)
  let response: Response
  try {
    response = await policedFetch(ctx.options.fetch, ctx.options.fetchPolicy)(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ logout_token: token }).toString(),
      redirect: 'manual',
      signal,
    })
  } catch (error) {
    return {
      outcome: 'failed',
      detail: signal.aborted
        ? `no answer within ${timeoutMs} ms`
        : `unreachable (${causeOf(error)})`,
    }
  }
  const body = await readCapped(response, 8 * 1024).catch(() => undefined)
  if (response.status === 200 || response.status === 204) return { outcome: 'confirmed' }
  return { outcome: 'failed', detail: `HTTP ${response.status}${describe(body)}` }
}

function describe(body: string | undefined): string {
  try {
    const json = JSON.parse(body ?? '') as { error?: unknown; error_description?: unknown }
    const text = [json.error, json.error_description].filter((part) => typeof part === 'string')
    return text.length > 0 ? `: ${text.join(' — ').slice(0, 200)}` : ''
  } catch {
    return ''
  }
}
