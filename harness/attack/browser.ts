import type { HTMLElement } from 'node-html-parser'
import type { TraceEntry } from '../../reports/model.ts'
import { type TraceRecorder, tracedHandler } from '../engine/trace.ts'
import { type Page, type RequestHandler, UserAgent } from '../http-driver/user-agent.ts'
import type { HostPolicy } from './hosts.ts'

/** One request the browser made, as the signal reads it. */
export interface Hop {
  method: string
  url: string
  status: number
  /** The redirect target, absolute. */
  location?: string
  /** Cookies the answer set (true) or cleared (false), by name; values are never kept. */
  cookies: Record<string, boolean>
  party: 'idp' | 'sp'
}

/** Where a visit ended: a page, or a reason it could not go on. */
export interface Visit {
  hops: Hop[]
  final?: { url: string; status: number; text: string }
  /** Why the browser stopped before a final page (timeout, refused host, too many hops). */
  problem?: string
  /** The last request that carried what the IdP handed the browser to the SP (the replay kit's). */
  delivery?: Delivery
  /** `hold`: the delivery was not sent; these are the cookies the browser held for it. */
  held?: HeldCookie[]
  trace: TraceEntry[]
}

/** A cookie the browser would have sent with a held delivery (the SP's state for its request). */
export interface HeldCookie {
  name: string
  value: string
  domain: string
  path: string
  secure: boolean
}

/** A request as the browser sent it: the URL, and the form fields of a POST. */
export interface Delivery {
  method: 'GET' | 'POST'
  url: string
  form?: Record<string, string>
}

export interface BrowserOptions {
  idpOrigin: string
  /** The IdP app, reached in-process (its back channel for the SP listens on loopback). */
  idp: RequestHandler
  hosts: HostPolicy
  timeoutMs: number
  trace: TraceRecorder
  maxBodyBytes?: number
  /** The network (tests inject; default global fetch). */
  fetch?: typeof fetch
}

const maxHops = 25
// The fields of the forms that carry protocol messages (SAML bindings, OIDC form_post).
const messageFields = ['SAMLRequest', 'SAMLResponse', 'SAMLart', 'id_token', 'code', 'token']

/**
 * A small browser for attacking another SP: a cookie jar, redirects followed, self-submitting
 * forms submitted, every request under a timeout and a body cap, and no request to a host the
 * policy refuses. It never throws for what an SP answers; a failure becomes `problem`.
 */
export class AttackBrowser {
  private readonly agent: UserAgent
  private readonly options: BrowserOptions
  private hops: Hop[] = []
  private delivery: Delivery | undefined

  constructor(options: BrowserOptions) {
    this.options = options
    const network = guardedFetch(options)
    this.agent = new UserAgent({
      origins: { [options.idpOrigin]: tracedHandler(options.idp, options.trace) },
      fallback: tracedHandler(network, options.trace),
    })
  }

  /**
   * Opens `url` (GET, or POST with `form`) and goes on as a browser with script on would.
   * `hold`: stops before delivering what the IdP handed over (a replay kit's fresh message).
   */
  async visit(url: string, form?: Record<string, string>, hold = false): Promise<Visit> {
    this.hops = []
    this.delivery = undefined
    let next: {
      url: string
      method: 'GET' | 'POST'
      form?: Record<string, string>
      from?: string
    } = form ? { url, method: 'POST', form } : { url, method: 'GET' }
    for (let count = 0; count < maxHops; count++) {
      const refusal = this.refusal(next.url)
      if (refusal) return this.end({ problem: `stopped before ${next.url}: ${refusal}` })
      if (next.from && this.isIdp(next.from) && !this.isIdp(next.url)) {
        this.delivery = {
          method: next.method,
          url: next.url,
          ...(next.form ? { form: { ...next.form } } : {}),
        }
        if (hold) return this.end({ held: await this.cookiesFor(next.url) })
      }
      let page: Page
      try {
        page = await this.agent.request(next.url, {
          method: next.method,
          ...(next.form ? { form: next.form } : {}),
          ...(next.from ? { from: next.from } : {}),
        })
      } catch (error) {
        return this.end({ problem: `no answer from ${next.url}: ${describe(error)}` })
      }
      const location = page.headers.get('location')
      const absolute = location ? safeUrl(location, page.url) : undefined
      this.hops.push({
        method: next.method,
        url: page.url,
        status: page.status,
        ...(absolute ? { location: absolute } : {}),
        cookies: cookiesOf(page.headers),
        party: this.isIdp(page.url) ? 'idp' : 'sp',
      })
      if (page.status >= 300 && page.status < 400 && absolute) {
        const keep = page.status === 307 || page.status === 308
        next = {
          url: absolute,
          method: keep ? next.method : 'GET',
          ...(keep && next.form ? { form: next.form } : {}),
          from: page.url,
        }
        continue
      }
      const autoForm = selfSubmittingForm(page)
      if (autoForm) {
        next = { ...formRequest(page, autoForm), from: page.url }
        continue
      }
      return this.end({ final: { url: page.url, status: page.status, text: page.html } })
    }
    return this.end({ problem: `more than ${maxHops} redirects or self-submitting forms` })
  }

  private refusal(url: string): string | undefined {
    if (safeUrl(url)?.startsWith(`${this.options.idpOrigin}/`)) return undefined
    return this.options.hosts.refusal(url)
  }

  private isIdp(url: string): boolean {
    return safeUrl(url)?.startsWith(`${this.options.idpOrigin}/`) === true
  }

  private async cookiesFor(url: string): Promise<HeldCookie[]> {
    const cookies = await this.agent.jar.getCookies(url, { sameSiteContext: 'strict' })
    const host = new URL(url).hostname
    return cookies.map((cookie) => ({
      name: cookie.key,
      value: cookie.value,
      domain: cookie.domain ?? host,
      path: cookie.path ?? '/',
      secure: cookie.secure,
    }))
  }

  private end(result: Pick<Visit, 'final' | 'problem' | 'held'>): Visit {
    return {
      hops: this.hops,
      ...result,
      ...(this.delivery ? { delivery: this.delivery } : {}),
      trace: this.options.trace.drain(),
    }
  }
}

/** Real fetch with a timeout and a body cap, answered as a complete Response. */
function guardedFetch(options: BrowserOptions): RequestHandler {
  const network = options.fetch ?? ((input, init) => fetch(input, init))
  const cap = options.maxBodyBytes ?? 2_000_000
  return async (request) => {
    const signal = AbortSignal.timeout(options.timeoutMs)
    const again = request.clone()
    let response: Response
    try {
      response = await network(request, { signal })
    } catch (error) {
      // A kept-alive connection the server closed while the request went out (Apache on a
      // loaded machine): no answer came, so, as browsers do, it is sent once more on a new one.
      if (!closedWithoutAnswer(error) || signal.aborted) throw error
      response = await network(again, { signal })
    }
    const body = await readCapped(response, cap)
    const nullBody = [101, 204, 205, 304].includes(response.status)
    return new Response(nullBody ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
  }
}

function closedWithoutAnswer(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } })?.cause?.code
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE'
}

async function readCapped(response: Response, cap: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!response.body) return new Uint8Array()
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
    if (size >= cap) {
      await reader.cancel()
      break
    }
  }
  return new Uint8Array(Buffer.concat(chunks).subarray(0, cap))
}

/** A form the page submits by itself: `<body onload>`, a script calling submit(), or a protocol message. */
function selfSubmittingForm(page: Page): HTMLElement | undefined {
  const forms = page.document.querySelectorAll('form')
  if (forms.length === 0) return undefined
  const onload = page.document.querySelector('body[onload]')
  const scripted = page.document
    .querySelectorAll('script')
    .some((script) => /\.submit\(\)/.test(script.text))
  if ((onload || scripted) && forms.length === 1) return forms[0]
  return forms.find((form) =>
    form
      .querySelectorAll('input')
      .some((input) => messageFields.includes(input.getAttribute('name') ?? '')),
  )
}

function formRequest(
  page: Page,
  form: HTMLElement,
): { url: string; method: 'GET' | 'POST'; form?: Record<string, string> } {
  const fields: Record<string, string> = {}
  for (const input of form.querySelectorAll('input')) {
    const name = input.getAttribute('name')
    if (name) fields[name] = input.getAttribute('value') ?? ''
  }
  const action = safeUrl(form.getAttribute('action') ?? page.url, page.url) ?? page.url
  if ((form.getAttribute('method') ?? 'get').toUpperCase() === 'POST') {
    return { url: action, method: 'POST', form: fields }
  }
  const target = new URL(action)
  for (const [key, value] of Object.entries(fields)) target.searchParams.set(key, value)
  return { url: target.toString(), method: 'GET' }
}

function cookiesOf(headers: Headers): Record<string, boolean> {
  const cookies: Record<string, boolean> = {}
  for (const line of headers.getSetCookie()) {
    const [pair = '', ...attributes] = line.split(';')
    const index = pair.indexOf('=')
    if (index <= 0) continue
    const cleared = attributes.some(isClearing)
    cookies[pair.slice(0, index).trim()] = !cleared && pair.slice(index + 1).trim() !== ''
  }
  return cookies
}

// `Max-Age=0`, or an `Expires` at the epoch as frameworks write when they clear a cookie.
function isClearing(attribute: string): boolean {
  const [name = '', value = ''] = attribute.split('=').map((part) => part.trim())
  if (/^max-age$/i.test(name)) return Number(value) <= 0
  if (/^expires$/i.test(name)) return Date.parse(value) < Date.UTC(1971, 0, 1)
  return false
}

function safeUrl(url: string, base?: string): string | undefined {
  try {
    return new URL(url, base).toString()
  } catch {
    return undefined
  }
}

function describe(error: unknown): string {
  const name = (error as Error)?.name
  if (name === 'TimeoutError' || name === 'AbortError') return 'no answer in time'
  const cause = (error as { cause?: { code?: string } })?.cause?.code
  return cause ?? (error as Error)?.message?.split('\n')[0] ?? 'request failed'
}
