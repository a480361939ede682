import { type Page, type RequestHandler, UserAgent } from '../../http-driver/user-agent.ts'
import { type TraceRecorder, tracedHandler } from '../trace.ts'
import {
  type Driver,
  type LinkWindow,
  linkWindow,
  type PageState,
  type PanelSignIn,
  type SentRequest,
  StepFailure,
} from './driver.ts'
import { framingAllowed } from './frame-policy.ts'
import { pageForm } from './page-form.ts'

/**
 * The default driver: a small browser (cookie jar, redirects, self-submitting forms) that
 * reaches the IdP and SP in-process, without sockets. Every exchange goes into the trace.
 */
export class HttpDriver implements Driver {
  readonly name = 'http'
  private readonly agent: UserAgent
  private current: Page | undefined
  lastLinkOpens: LinkWindow | undefined
  lastPanelSignIn: PanelSignIn | undefined

  constructor(handlers: Record<string, RequestHandler>, trace: TraceRecorder) {
    const origins: Record<string, RequestHandler> = {}
    for (const [origin, handler] of Object.entries(handlers)) {
      origins[origin] = tracedHandler(handler, trace)
    }
    this.agent = new UserAgent({
      origins,
      fallback: (request) =>
        new Response(`no such server in this scenario: ${new URL(request.url).origin}`, {
          status: 502,
        }),
    })
  }

  async goto(url: string): Promise<void> {
    this.current = await this.agent.navigate(url)
  }

  async post(url: string, form: Record<string, string>): Promise<void> {
    const cookies = (await this.agent.jar.getCookies(url)).map(({ key, value }) => ({
      name: key,
      value,
    }))
    this.current = await this.agent.navigate(url, {
      method: 'POST',
      form: pageForm(form, cookies),
      from: url,
    })
  }

  async submitLogin(username: string, password: string, action: 'login' | 'cancel') {
    const page = this.requirePage()
    if (!page.document.querySelector('#login-form')) {
      throw new StepFailure('the IdP login form is not shown', 'the IdP login form', page.url)
    }
    this.current = await this.agent.submit(
      page,
      '#login-form',
      { username, password },
      { name: 'action', value: action },
    )
  }

  async submitForm(selector: string, fields: Record<string, string> = {}): Promise<void> {
    const page = this.requirePage()
    if (!page.document.querySelector(selector)) {
      throw new StepFailure(`the page shows no form ${selector}`, selector, page.url)
    }
    this.current = await this.agent.submit(page, selector, fields)
  }

  async click(selector: string): Promise<void> {
    const page = this.requirePage()
    const link = page.document.querySelector(selector)
    const href = link?.getAttribute('href')
    if (href === undefined) {
      throw new StepFailure(`the page shows no link ${selector}`, selector, page.url)
    }
    this.lastLinkOpens = linkWindow(link?.getAttribute('target'), link?.getAttribute('data-popup'))
    this.current = await this.agent.navigate(new URL(href, page.url).toString())
  }

  /**
   * No frames here: the panel's frame is loaded as the page, and the answer's frame headers
   * say whether a browser would have shown it inside the SP's page (frame-policy.ts); the IdP's
   * login page must also tell the panel it was shown, as the widget's script waits for.
   */
  async signInInPanel(selector: string): Promise<void> {
    const page = this.requirePage()
    const frameUrl = page.document.querySelector(selector)?.getAttribute('data-frame')
    if (frameUrl === undefined) {
      throw new StepFailure(`the page shows no panel sign-in ${selector}`, selector, page.url)
    }
    const framed = await this.agent.navigate(new URL(frameUrl, page.url).toString())
    const announces = framed.html.includes("postMessage('ssoproof:idp-page-shown'")
    const ownPage = new URL(framed.url).origin === new URL(page.url).origin
    this.lastPanelSignIn =
      framingAllowed(framed.headers, framed.url, page.url) && (announces || ownPage)
        ? 'shown'
        : 'refused'
    this.current = framed
  }

  async signOut(spHome: string): Promise<void> {
    let page = this.current
    const onSp = (candidate: Page | undefined) =>
      candidate?.document.querySelector('form[action="/logout"]')
    if (!onSp(page)) page = await this.agent.navigate(spHome)
    if (!onSp(page) || !page) {
      throw new StepFailure('the SP shows no "Sign out" button', 'a signed-in SP page', page?.url)
    }
    this.current = await this.agent.submit(page, 'form[action="/logout"]')
  }

  async send(request: SentRequest): Promise<void> {
    this.current = await this.agent.request(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(request.from !== undefined ? { from: request.from } : { script: true }),
    })
  }

  async page(): Promise<PageState> {
    const page = this.requirePage()
    return { url: page.url, status: page.status, html: page.html }
  }

  async cookie(url: string, name: string): Promise<string | undefined> {
    const cookies = await this.agent.jar.getCookies(url)
    return cookies.find((cookie) => cookie.key === name)?.value
  }

  async screenshot(): Promise<Uint8Array | undefined> {
    return undefined
  }

  async close(): Promise<void> {}

  private requirePage(): Page {
    if (!this.current) throw new StepFailure('no page is open yet; start with `open` or `sign in`')
    return this.current
  }
}
