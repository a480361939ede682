import { CookieJar } from './cookie-jar.ts'
import { encodeForm, formById, type HtmlForm, selfSubmittingForm, textById } from './html-form.ts'
import { type LoopbackAnswer, LoopbackConnections, StaleConnection } from './loopback-http.ts'

export { LoopbackConnections }

export interface LoopbackVisitorOptions {
  /** The kept-alive connections all visitors share (as a browser reuses its connections). */
  connections: LoopbackConnections
  /** Who to sign in as at the IdP's login form (default alice). */
  user?: string
}

interface Answer extends LoopbackAnswer {
  url: URL
}

/**
 * Figure 7's visitor: one new browser (empty cookie jar) signing in at the SP at `spUrl` over
 * plain-HTTP loopback, as `visitor.ts` does but without WHATWG fetch, an HTML parser or
 * tough-cookie, so the bench's own CPU does not starve the server it measures. Every hop a
 * browser makes is made: GET /login, each redirect, the IdP's login form as the user, the
 * self-submitting form back to the SP, its redirect home; cookies kept and sent by their rules,
 * Sec-Fetch-Site and Origin as a browser sends them. Throws unless the home page shows who is
 * signed in (the message names the page, never a URL query); returns the name shown.
 */
export async function signInOverLoopback(
  spUrl: string,
  options: LoopbackVisitorOptions,
): Promise<string> {
  const browser = new Browser(options.connections)
  let page = await browser.navigate(new URL('/login', spUrl), 'GET', undefined, undefined)
  const login = formById(page.body, 'login-form')
  if (login) {
    const fields = new Map(login.fields)
    fields.set('username', options.user ?? 'alice')
    fields.set('action', 'login')
    page = await browser.submit(page, { ...login, fields: [...fields] })
  }
  const signedIn = textById(page.body, 'user-name')
  if (!signedIn) {
    const code = textById(page.body, 'error-code') ?? 'none'
    throw new Error(
      `the visitor is not signed in: ended at ${page.url.pathname} (HTTP ${page.status}, error code ${code})`,
    )
  }
  return signedIn
}

const maxHops = 20

class Browser {
  private readonly jar = new CookieJar()

  constructor(private readonly connections: LoopbackConnections) {}

  /** Submits `form` of `page` (its action resolved against the page) and follows on. */
  submit(page: Answer, form: HtmlForm): Promise<Answer> {
    const action = new URL(form.action || page.url.href, page.url)
    const data = encodeForm(form.fields)
    if (form.method === 'GET') {
      action.search = data
      return this.navigate(action, 'GET', undefined, page.url)
    }
    return this.navigate(action, 'POST', data, page.url)
  }

  /**
   * A navigation started from the page at `from` (none: typed): follows redirects (307/308
   * repeat the request) and self-submitting forms until a page that needs the person.
   */
  async navigate(
    url: URL,
    method: 'GET' | 'POST',
    form: string | undefined,
    from: URL | undefined,
  ): Promise<Answer> {
    // Fetch §3.1 / Fetch Metadata: the least trusting relation along the redirect chain, and an
    // Origin of "null" on a POST once a redirect crossed origins.
    let site: Relation = from ? relation(from, url) : 'none'
    let crossedOrigins = false
    for (let hops = 0; hops < maxHops; hops++) {
      const answer = await this.send(url, method, form, from, site, crossedOrigins)
      const location = answer.location
      if (answer.status >= 300 && answer.status < 400 && location) {
        const next = new URL(location, url)
        if (next.origin !== url.origin) crossedOrigins = true
        if (answer.status !== 307 && answer.status !== 308) {
          method = 'GET'
          form = undefined
        }
        if (from) site = leastTrusting(site, relation(from, next))
        url = next
        continue
      }
      const auto = selfSubmittingForm(answer.body)
      if (!auto) return answer
      // The page submits its form as it loads: a new navigation from that page.
      from = answer.url
      url = new URL(auto.action || answer.url.href, answer.url)
      const data = encodeForm(auto.fields)
      if (auto.method === 'GET') {
        url.search = data
        method = 'GET'
        form = undefined
      } else {
        method = 'POST'
        form = data
      }
      site = relation(from, url)
      crossedOrigins = false
    }
    throw new Error(
      `more than ${maxHops} redirects or self-submitting forms, last at ${url.pathname}`,
    )
  }

  /**
   * One request. A kept-alive connection the server closed as it was picked up (its idle
   * timeout) fails before any answer: like a browser, the request is sent again once on a new
   * connection. Any other failure is the sign-in's.
   */
  private async send(
    url: URL,
    method: 'GET' | 'POST',
    form: string | undefined,
    from: URL | undefined,
    site: Relation,
    crossedOrigins: boolean,
  ): Promise<Answer> {
    const headers: Record<string, string> = { 'sec-fetch-site': site }
    const cookie = this.jar.header(
      url,
      from !== undefined && from.hostname !== url.hostname,
      method === 'GET',
    )
    if (cookie) headers.cookie = cookie
    const body = method === 'POST' ? (form ?? '') : undefined
    if (method === 'POST') {
      if (from) headers.origin = crossedOrigins ? 'null' : from.origin
      headers['content-type'] = 'application/x-www-form-urlencoded'
    }
    let answer: LoopbackAnswer
    try {
      answer = await this.connections.request(url, method, headers, body)
    } catch (error) {
      if (!(error instanceof StaleConnection)) throw error
      // Another kept connection may be as stale: a new one.
      answer = await this.connections.request(url, method, headers, body, true)
    }
    this.jar.store(url, answer.setCookies)
    return { ...answer, url }
  }
}

type Relation = 'none' | 'same-origin' | 'same-site' | 'cross-site'

// Sites as `harness/http-driver` tells them apart: scheme and host name (ports share).
function relation(from: URL, to: URL): Relation {
  if (from.origin === to.origin) return 'same-origin'
  return from.hostname === to.hostname && from.protocol === to.protocol ? 'same-site' : 'cross-site'
}

const trust: Relation[] = ['none', 'same-origin', 'same-site', 'cross-site']

function leastTrusting(a: Relation, b: Relation): Relation {
  return trust.indexOf(a) >= trust.indexOf(b) ? a : b
}
