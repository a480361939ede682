import { formTokenCookie, formTokenField, formTokenFor } from '../../core/http/guard/form-token.ts'
import { UserAgent } from '../../harness/http-driver/user-agent.ts'

/**
 * The lab's scripted browser: the project's http driver (cookie jar with SameSite rules,
 * redirects, self-submitting SAML forms) over real loopback sockets.
 */
export type LabBrowser = UserAgent

/** What a browser's navigation accepts; without it mod_auth_openidc takes it for an API call (401). */
const navigationAccept = 'text/html,application/xhtml+xml,*/*;q=0.8'

export function labBrowser(fetchImpl: (request: Request) => Promise<Response>): LabBrowser {
  const navigate = (request: Request) => {
    if (!request.headers.has('accept')) request.headers.set('accept', navigationAccept)
    return fetchImpl(request)
  }
  return new UserAgent({ fallback: navigate, maxRedirects: 30 })
}

/** The form token a page POST from this browser must carry (the request guard's CSRF check). */
export async function formTokenOf(
  browser: LabBrowser,
  url: string,
): Promise<Record<string, string>> {
  const find = async () =>
    (await browser.jar.getCookies(url)).find((c) => c.key === formTokenCookie)
  // A browser that has not seen a page with a form yet gets its token cookie from one.
  if ((await find()) === undefined) await browser.request(url)
  const cookie = await find()
  return cookie ? { [formTokenField]: formTokenFor(cookie.value) } : {}
}
