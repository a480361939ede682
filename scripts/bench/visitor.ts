import { type RequestHandler, UserAgent } from '../../harness/http-driver/user-agent.ts'

export interface VisitorOptions {
  /** Who to sign in as at the IdP's login form (default alice). */
  user?: string
  /** Origin → in-process handler; requests to other origins go over the network (loopback). */
  origins?: Record<string, RequestHandler>
}

/**
 * One new visitor signing in at the SP at `spUrl`: a fresh browser (empty cookie jar), GET
 * /login, the IdP's login form as the user when it shows one (an IdP without a form, such as
 * oauth2-mock-server, answers at once), and back at the SP's home page showing who is signed in.
 * Throws when the visitor does not end signed in; the message names the page, never a URL query.
 */
export async function signInVisitor(spUrl: string, options: VisitorOptions = {}): Promise<void> {
  const agent = new UserAgent(options.origins ? { origins: options.origins } : {})
  let page = await agent.navigate(`${spUrl}/login`)
  if (page.document.querySelector('#login-form')) {
    page = await agent.submit(
      page,
      '#login-form',
      { username: options.user ?? 'alice' },
      { name: 'action', value: 'login' },
    )
  }
  if (!page.document.querySelector('#user-name')) {
    const code = page.document.querySelector('#error-code')?.text ?? 'none'
    throw new Error(
      `the visitor is not signed in: ended at ${new URL(page.url).pathname} (HTTP ${page.status}, error code ${code})`,
    )
  }
}
