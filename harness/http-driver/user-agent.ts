import { type HTMLElement, parse } from 'node-html-parser'
import { CookieJar } from 'tough-cookie'

/** Something that answers requests: a Hono app in-process, or real fetch over loopback. */
export type RequestHandler = (request: Request) => Response | Promise<Response>

export interface Page {
  url: string
  status: number
  headers: Headers
  html: string
  /** The parsed document, for reading text and forms. */
  document: HTMLElement
}

export interface UserAgentOptions {
  /** Origin (e.g. `http://127.0.0.1:7000`) → handler. Requests to other origins use `fallback`. */
  origins?: Record<string, RequestHandler>
  fallback?: RequestHandler
  maxRedirects?: number
}

export interface RequestInit {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  form?: Record<string, string>
  /** A raw body instead of a form (give its Content-Type in `headers`). */
  body?: string
  /** The page the request comes from, for SameSite cookie decisions. */
  from?: string
  /**
   * The navigation this request is a hop of: the page that started it (none: the person typed
   * the address) and the URLs before this one. Default: a navigation of its own from `from`.
   */
  navigation?: { initiator: string | undefined; urls: readonly string[] }
  /** Headers set over the browser's own (a forged request); null removes one. */
  headers?: Record<string, string | null>
  /** Sent by a script, not a browser: no cookies, no Origin or Sec-Fetch-Site (Host still). */
  script?: boolean
  /** A page's iframe rather than a navigation: cross-site, Lax cookies stay home. */
  frame?: boolean
}

/**
 * A small browser for the http driver and the in-process tests: a cookie jar with SameSite
 * rules, redirects followed, a page's iframes loaded (front-channel logout), and the
 * self-submitting SAML forms submitted the way a browser with script on would — after the
 * iframes, as `onload` fires. Sites are told apart by host name (ports share cookies, as in
 * browsers). Like a browser it says where each request comes from: Host, Sec-Fetch-Site and, on
 * a POST, Origin.
 */
export class UserAgent {
  readonly jar = new CookieJar()
  readonly history: { method: string; url: string; status: number }[] = []
  private readonly origins: Record<string, RequestHandler>
  private readonly fallback: RequestHandler
  private readonly maxRedirects: number

  constructor(options: UserAgentOptions = {}) {
    this.origins = options.origins ?? {}
    this.fallback = options.fallback ?? ((request) => fetch(request))
    this.maxRedirects = options.maxRedirects ?? 20
  }

  /** One request, no redirects followed; cookies are read and stored. */
  async request(url: string, init: RequestInit = {}): Promise<Page> {
    const method = init.method ?? 'GET'
    const headers = new Headers({ host: new URL(url).host })
    if (!init.script) {
      const cookie = await this.jar.getCookieString(url, {
        sameSiteContext: sameSiteContext(init.from, url, method, init.frame === true),
      })
      if (cookie) headers.set('cookie', cookie)
      const navigation = init.navigation ?? { initiator: init.from, urls: [] }
      for (const [name, value] of Object.entries(fetchMetadata(navigation, url, method))) {
        headers.set(name, value)
      }
    }
    let body = init.body
    if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded')
      body = new URLSearchParams(init.form).toString()
    }
    for (const [name, value] of Object.entries(init.headers ?? {})) {
      if (value === null) headers.delete(name)
      else headers.set(name, value)
    }
    const request = new Request(url, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      redirect: 'manual',
    })
    const handler = this.origins[new URL(url).origin] ?? this.fallback
    const response = await handler(request)
    for (const setCookie of response.headers.getSetCookie()) {
      await this.jar.setCookie(setCookie, url, { ignoreError: true })
    }
    const html = await response.text()
    this.history.push({ method, url, status: response.status })
    return { url, status: response.status, headers: response.headers, html, document: parse(html) }
  }

  /**
   * Navigates like a person clicking a link or submitting a form: follows redirects and submits
   * self-submitting forms (the SAML POST binding) until a page that needs the person.
   */
  async navigate(url: string, init: RequestInit = {}): Promise<Page> {
    let page = await this.request(url, init)
    const urls = [url]
    for (let hops = 0; hops < this.maxRedirects; hops++) {
      const location = page.headers.get('location')
      if (page.status >= 300 && page.status < 400 && location) {
        const next = new URL(location, page.url).toString()
        // 307 and 308 repeat the request, body and all; the others turn it into a GET.
        const again = page.status === 307 || page.status === 308
        page = await this.request(next, {
          method: again ? (init.method ?? 'GET') : 'GET',
          ...(again && init.form ? { form: init.form } : {}),
          from: page.url,
          navigation: { initiator: init.from, urls: [...urls] },
        })
        urls.push(next)
        continue
      }
      await this.loadFrames(page)
      const autoForm = selfSubmittingForm(page.document)
      if (autoForm) {
        page = await this.submit(page, autoForm)
        continue
      }
      return page
    }
    throw new Error(
      `more than ${this.maxRedirects} redirects or self-submitting forms, last at ${page.url}`,
    )
  }

  /** Loads each `iframe[src]` of the page once, following its redirects, as a browser would. */
  private async loadFrames(page: Page): Promise<void> {
    for (const frame of page.document.querySelectorAll('iframe[src]')) {
      let url = new URL(frame.getAttribute('src') ?? '', page.url).toString()
      for (let hops = 0; hops < this.maxRedirects; hops++) {
        const loaded = await this.request(url, { from: page.url, frame: true })
        const location = loaded.headers.get('location')
        if (loaded.status < 300 || loaded.status >= 400 || !location) break
        url = new URL(location, url).toString()
      }
    }
  }

  /**
   * Submits a form of the page as a person would: its fields, `fields` typed over them, and the
   * pressed button's name/value. `form` is a CSS selector or the element.
   */
  async submit(
    page: Page,
    form: string | HTMLElement = 'form',
    fields: Record<string, string> = {},
    button?: { name: string; value: string },
  ): Promise<Page> {
    const { url, init } = formSubmission(page, form, fields, button)
    return this.navigate(url, init)
  }

  /** As `submit`, but only the form's own request: the answer as it is, no redirect followed. */
  async submitOnce(
    page: Page,
    form: string | HTMLElement = 'form',
    fields: Record<string, string> = {},
  ): Promise<Page> {
    const { url, init } = formSubmission(page, form, fields)
    return this.request(url, init)
  }
}

/** What submitting a form sends: its fields with `fields` typed over them, to its action. */
function formSubmission(
  page: Page,
  form: string | HTMLElement,
  fields: Record<string, string>,
  button?: { name: string; value: string },
): { url: string; init: RequestInit } {
  const element = typeof form === 'string' ? page.document.querySelector(form) : form
  if (!element) throw new Error(`no form "${String(form)}" on ${page.url}`)
  const data: Record<string, string> = {}
  for (const input of element.querySelectorAll('input')) {
    const name = input.getAttribute('name')
    if (name) data[name] = input.getAttribute('value') ?? ''
  }
  Object.assign(data, fields)
  if (button) data[button.name] = button.value
  const action = new URL(element.getAttribute('action') ?? page.url, page.url).toString()
  const method = (element.getAttribute('method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET'
  if (method === 'GET') {
    const target = new URL(action)
    for (const [key, value] of Object.entries(data)) target.searchParams.set(key, value)
    return { url: target.toString(), init: { from: page.url } }
  }
  return { url: action, init: { method, form: data, from: page.url } }
}

// RFC 6265bis §5.2: same-site when the sites match; a cross-site top-level GET is "lax", any
// other cross-site request (a POST, an iframe) "none".
function sameSiteContext(
  from: string | undefined,
  to: string,
  method: string,
  frame: boolean,
): 'strict' | 'lax' | 'none' {
  if (!from) return 'strict'
  const a = new URL(from)
  const b = new URL(to)
  if (a.hostname === b.hostname && a.protocol === b.protocol) return 'strict'
  return method === 'GET' && !frame ? 'lax' : 'none'
}

/**
 * What a browser says of where a request comes from (Fetch Metadata; Fetch §3.1 "append a
 * request Origin header"): Sec-Fetch-Site, the least trusting relation between the page
 * that started the navigation and every URL along its redirects (`none` when the person typed the
 * address); Origin on anything but GET and HEAD, `null` once a redirect crossed origins.
 */
export function fetchMetadata(
  navigation: { initiator: string | undefined; urls: readonly string[] },
  url: string,
  method: string,
): Record<string, string> {
  const headers: Record<string, string> = {}
  const { initiator } = navigation
  if (initiator === undefined) return { 'sec-fetch-site': 'none' }
  const from = new URL(initiator)
  const chain = [...navigation.urls, url].map((hop) => new URL(hop))
  const relations = chain.map((hop) => relation(from, hop))
  headers['sec-fetch-site'] = relations.includes('cross-site')
    ? 'cross-site'
    : relations.includes('same-site')
      ? 'same-site'
      : 'same-origin'
  if (method !== 'GET' && method !== 'HEAD') {
    const tainted = chain.some(
      (hop, index) =>
        index > 0 &&
        hop.origin !== chain[index - 1]?.origin &&
        from.origin !== chain[index - 1]?.origin,
    )
    headers.origin = tainted ? 'null' : from.origin
  }
  return headers
}

// Sites as browsers and the cookie jar tell them apart here: scheme and host name (ports share).
function relation(a: URL, b: URL): 'same-origin' | 'same-site' | 'cross-site' {
  if (a.origin === b.origin) return 'same-origin'
  return a.hostname === b.hostname && a.protocol === b.protocol ? 'same-site' : 'cross-site'
}

/**
 * The form a page submits by itself: one under a `body onload` that submits or clicks (the SAML
 * POST binding's pages). An onload that only focuses a field (SimpleSAMLphp's login page) waits
 * for the person.
 */
export function selfSubmittingForm(document: HTMLElement): HTMLElement | null {
  const onload = document.querySelector('body[onload]')?.getAttribute('onload') ?? ''
  return /\b(submit|click)\s*\(/.test(onload) ? document.querySelector('body form') : null
}
