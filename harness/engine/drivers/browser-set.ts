import type { Driver, PageState, SentRequest } from './driver.ts'

/**
 * The visitor's browsers in one scenario: steps act on the current one, and `switch browser`
 * opens (or goes back to) another by name — a second device of the same person, with its own
 * cookies. The first is named `first`; every one is closed with the set.
 */
export class BrowserSet implements Driver {
  private readonly browsers = new Map<string, Driver>()
  private current: Driver

  private constructor(
    first: Driver,
    private readonly open: () => Promise<Driver>,
  ) {
    this.current = first
    this.browsers.set('first', first)
  }

  static async start(open: () => Promise<Driver>): Promise<BrowserSet> {
    return new BrowserSet(await open(), open)
  }

  get name() {
    return this.current.name
  }

  get lastLinkOpens() {
    return this.current.lastLinkOpens
  }

  get lastPanelSignIn() {
    return this.current.lastPanelSignIn
  }

  /** Makes the browser of this name the current one, opening it the first time. */
  async use(name: string): Promise<void> {
    let browser = this.browsers.get(name)
    if (!browser) {
      browser = await this.open()
      this.browsers.set(name, browser)
    }
    this.current = browser
  }

  goto(url: string) {
    return this.current.goto(url)
  }
  post(url: string, form: Record<string, string>) {
    return this.current.post(url, form)
  }
  submitLogin(username: string, password: string, action: 'login' | 'cancel') {
    return this.current.submitLogin(username, password, action)
  }
  submitForm(selector: string, fields?: Record<string, string>) {
    return this.current.submitForm(selector, fields)
  }
  click(selector: string) {
    return this.current.click(selector)
  }
  signInInPanel(selector: string) {
    return this.current.signInInPanel(selector)
  }
  signOut(spHome: string) {
    return this.current.signOut(spHome)
  }
  send(request: SentRequest) {
    return this.current.send(request)
  }
  page(): Promise<PageState> {
    return this.current.page()
  }
  cookie(url: string, name: string) {
    return this.current.cookie(url, name)
  }
  screenshot() {
    return this.current.screenshot()
  }
  async close(): Promise<void> {
    await Promise.all([...this.browsers.values()].map((browser) => browser.close()))
  }
}
