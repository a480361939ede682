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
