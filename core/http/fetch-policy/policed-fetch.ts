import type { FetchPolicy } from './fetch-policy.ts'

const redirects = new Set([301, 302, 303, 307, 308])

/**
 * `fetch` under the outbound policy: the URL is checked before each request, and redirects are
 * followed by hand (at most `maxRedirects`, GET and HEAD only) so that every hop is checked too.
 * A POST, or a caller that asked for `redirect: 'manual'`, gets the redirect as it came.
 */
export function policedFetch(
  fetchImpl: typeof fetch,
  policy: FetchPolicy,
  maxRedirects = 3,
): typeof fetch {
  return async (input, init) => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()
    let url = input instanceof Request ? input.url : String(input)
    await policy.check(url)
    let response = await fetchImpl(input, { ...init, redirect: 'manual' })
    const follow =
      (method === 'GET' || method === 'HEAD') && (init?.redirect ?? 'follow') === 'follow'
    for (let hop = 0; follow && hop < maxRedirects; hop++) {
      const location = response.headers.get('location')
      if (!redirects.has(response.status) || location === null) break
      await response.body?.cancel()
      url = new URL(location, url).href
      await policy.check(url)
      response = await fetchImpl(url, {
        method,
        ...(init?.headers !== undefined ? { headers: init.headers } : {}),
        ...(init?.signal ? { signal: init.signal } : {}),
        redirect: 'manual',
      })
    }
    return response
  }
}
