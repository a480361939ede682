import { UserAgent } from '../../harness/http-driver/user-agent.ts'

/**
 * The lab's scripted browser: the project's http driver (cookie jar with SameSite rules,
 * redirects, self-submitting SAML forms) over real loopback sockets.
 */
export type LabBrowser = UserAgent

export function labBrowser(fetchImpl: (request: Request) => Promise<Response>): LabBrowser {
  return new UserAgent({ fallback: fetchImpl, maxRedirects: 30 })
}
