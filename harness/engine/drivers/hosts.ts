import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { type ServerType, serve } from '@hono/node-server'
import type { Browser, BrowserContext, Page } from 'playwright'
import type { InPage } from '../../browser/in-page.ts'
import type { RequestHandler } from '../../http-driver/user-agent.ts'
import { fetchMetadata } from '../../http-driver/user-agent.ts'
import { tracedHandler } from '../trace.ts'
import type { World } from '../world.ts'
import {
  type Driver,
  type LinkWindow,
  linkWindow,
  type PageState,
  type PanelSignIn,
  type SentRequest,
  StepFailure,
} from './driver.ts'
import { HttpDriver } from './http-driver.ts'
import { pageForm } from './page-form.ts'

/**
 * Where a driver's IdP and SP live. The http host needs no sockets, so its URLs are fixed; the
 * browser host listens on three loopback ports (chosen by the OS) and hands each request to the
 * current scenario's world, one scenario at a time.
 */
export interface DriverHost {
  readonly name: 'http' | 'browser'
  readonly idpUrl: string
  readonly spUrl: string
  /** Where a scenario's second SP lives (`setup.otherSp`). */
  readonly otherSpUrl: string
  open(world: World): Promise<Driver>
  close(): Promise<void>
}

export function createHttpHost(): DriverHost {
  return {
    name: 'http',
    idpUrl: 'http://127.0.0.1:7000',
    spUrl: 'http://127.0.0.1:7100',
    otherSpUrl: 'http://127.0.0.1:7200',
    open: async (world) => new HttpDriver(world.handlers, world.trace),
    close: async () => {},
  }
}

export async function createBrowserHost(): Promise<DriverHost> {
  const { launchChromium } = await import('../../browser/launch.ts')
  let current: Record<string, RequestHandler> = {}
  const unavailable = () => new Response('no scenario is running', { status: 503 })
  const listen = async (name: 'idp' | 'sp' | 'other-sp') => {
    let origin = ''
    const server: ServerType = serve({
      fetch: (request: Request) => current[origin]?.(request) ?? unavailable(),
      port: 0,
      hostname: '127.0.0.1',
    })
    await once(server, 'listening')
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return { name, server, origin }
  }
  const [browser, idp, sp, otherSp] = await Promise.all([
    launchChromium(),
    listen('idp'),
    listen('sp'),
    listen('other-sp'),
  ])
  return {
    name: 'browser',
    idpUrl: idp.origin,
    spUrl: sp.origin,
    otherSpUrl: otherSp.origin,
    async open(world) {
      current = {}
      for (const [origin, handler] of Object.entries(world.handlers)) {
        current[origin] = tracedHandler(handler, world.trace)
      }
      const context = await browser.newContext()
      const page = await context.newPage()
      return new BrowserDriver(browser, context, page)
    },
    async close() {
      await browser.close()
      for (const { server } of [idp, sp, otherSp]) {
        server.close()
        ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
      }
    },
  }
}

/** Clicks the real pages in Chromium. */
export class BrowserDriver implements Driver {
  readonly name = 'browser'
  lastLinkOpens: LinkWindow | undefined
  lastPanelSignIn: PanelSignIn | undefined
  private status = 0
  /** The answer to the last `send`, shown as the page until the visitor acts again. */
  private answer: PageState | undefined

  constructor(
    _browser: Browser,
    private readonly browserContext: BrowserContext,
    private readonly tab: Page,
  ) {
    tab.on('response', (response) => {
      if (response.request().isNavigationRequest() && response.frame() === tab.mainFrame()) {
        this.status = response.status()
      }
    })
  }

  async goto(url: string): Promise<void> {
    await this.tab.goto(url)
    await this.settle()
  }

  async post(url: string, form: Record<string, string>): Promise<void> {
    await this.tab.evaluate(
      ({ action, fields }) => {
        const { document } = globalThis as unknown as InPage
        const element = document.createElement('form')
        element.method = 'POST'
        element.action = action
        for (const [name, value] of Object.entries(fields)) {
          const input = document.createElement('input')
          input.type = 'hidden'
          input.name = name
          input.value = value
          element.appendChild(input)
        }
        document.body.appendChild(element)
        element.submit()
      },
      { action: url, fields: pageForm(form, await this.browserContext.cookies(url)) },
    )
    await this.tab.waitForEvent('framenavigated').catch(() => undefined)
    await this.settle()
  }

  async submitLogin(username: string, password: string, action: 'login' | 'cancel') {
    if ((await this.tab.$('#login-form')) === null) {
      throw new StepFailure('the IdP login form is not shown', 'the IdP login form', this.tab.url())
    }
    if (action === 'login') {
      await this.tab.fill('#username', username)
      await this.tab.fill('#password', password)
    }
    await this.tab.click(`#login-form button[value=${action}]`)
    await this.settle()
  }

  async submitForm(selector: string, fields: Record<string, string> = {}): Promise<void> {
    const button = `${selector} button[type=submit], ${selector} button:not([type])`
    if ((await this.tab.$(button)) === null) {
      throw new StepFailure(`the page shows no form ${selector}`, selector, this.tab.url())
    }
    for (const [name, value] of Object.entries(fields)) {
      await this.tab.fill(`${selector} [name="${name}"]`, value)
    }
    await this.tab.click(button)
    await this.settle()
  }

  async click(selector: string): Promise<void> {
    const link = await this.tab
      .$eval(selector, (element) => ({
        href: element.getAttribute('href'),
        target: element.getAttribute('target'),
        popup: element.getAttribute('data-popup'),
      }))
      .catch(() => null)
    const href = link?.href ?? null
    if (href === null) {
      throw new StepFailure(`the page shows no link ${selector}`, selector, this.tab.url())
    }
    this.lastLinkOpens = linkWindow(link?.target, link?.popup)
    // One tab per visitor: a popup link is followed in place, as the chat window itself would.
    await this.goto(new URL(href, this.tab.url()).toString())
  }

  /**
   * Clicks the sign-in for real: the widget's script opens the panel's frame, and either the
   * IdP's login form shows inside it or the panel's popup offer appears (the frame refused).
   * Then, one tab per visitor, that sign-in goes on in place.
   */
  async signInInPanel(selector: string): Promise<void> {
    const frameUrl = await this.tab
      .$eval(selector, (element) => element.getAttribute('data-frame'))
      .catch(() => null)
    if (frameUrl === null) {
      throw new StepFailure(`the page shows no panel sign-in ${selector}`, selector, this.tab.url())
    }
    await this.tab.click(selector)
    const shown = this.tab
      .frameLocator('#sign-in-frame')
      .locator('#login-form')
      .waitFor({ timeout: 20_000 })
      .then(() => 'shown' as const)
    const refused = this.tab
      .waitForSelector('#sign-in-fallback:not([hidden])', { timeout: 20_000 })
      .then(() => 'refused' as const)
    this.lastPanelSignIn = await Promise.any([shown, refused]).catch(() => {
      throw new StepFailure(
        'the panel showed neither the IdP login nor its popup offer',
        'the IdP login inside the panel, or the popup offer',
        this.tab.url(),
      )
    })
    shown.catch(() => undefined)
    refused.catch(() => undefined)
    await this.goto(new URL(frameUrl, this.tab.url()).toString())
  }

  async signOut(spHome: string): Promise<void> {
    const button = 'form[action="/logout"] button'
    if ((await this.tab.$(button)) === null) await this.goto(spHome)
    if ((await this.tab.$(button)) === null) {
      throw new StepFailure(
        'the SP shows no "Sign out" button',
        'a signed-in SP page',
        this.tab.url(),
      )
    }
    await this.tab.click(button)
    await this.settle()
  }

  /**
   * Through Playwright's request API, which shares the browser context's cookies (all of them:
   * more than a browser sends cross-site, so a refusal proves at least as much); a script's
   * request goes through a context of its own, without cookies.
   */
  async send(request: SentRequest): Promise<void> {
    const { request: playwrightRequest } = await import('playwright')
    const client = request.from === undefined ? await playwrightRequest.newContext() : undefined
    const merged: Record<string, string | null> = {
      ...(request.from === undefined
        ? {}
        : fetchMetadata({ initiator: request.from, urls: [] }, request.url, request.method)),
      ...request.headers,
    }
    const headers = Object.fromEntries(
      Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== null),
    )
    try {
      const answer = await (client ?? this.browserContext.request).fetch(request.url, {
        method: request.method,
        headers,
        ...(request.body !== undefined ? { data: request.body } : {}),
        maxRedirects: 0,
        failOnStatusCode: false,
      })
      this.answer = { url: request.url, status: answer.status(), html: await answer.text() }
    } finally {
      await client?.dispose()
    }
  }

  async page(): Promise<PageState> {
    if (this.answer) return this.answer
    return { url: this.tab.url(), status: this.status, html: await this.tab.content() }
  }

  async cookie(url: string, name: string): Promise<string | undefined> {
    const cookies = await this.browserContext.cookies(url)
    return cookies.find((cookie) => cookie.name === name)?.value
  }

  async screenshot(): Promise<Uint8Array | undefined> {
    try {
      return await this.tab.screenshot({ fullPage: true })
    } catch {
      return undefined
    }
  }

  async close(): Promise<void> {
    await this.browserContext.close()
  }

  /**
   * Waits until the page needs the person: loaded, and not a self-submitting form (the SAML
   * POST binding) that is about to navigate on.
   */
  private async settle(): Promise<void> {
    this.answer = undefined
    const deadline = performance.now() + 15_000
    while (performance.now() < deadline) {
      try {
        await this.tab.waitForLoadState('load')
        const autoSubmits = await this.tab.evaluate(
          () =>
            (globalThis as unknown as InPage).document.querySelector('body[onload] form') !== null,
        )
        if (!autoSubmits) return
        await this.tab.waitForEvent('framenavigated', { timeout: 5000 }).catch(() => undefined)
      } catch {
        // The document changed under us (a navigation); look again.
      }
    }
    throw new StepFailure(
      'the page kept navigating for 15 s',
      'a page that waits for the visitor',
      this.tab.url(),
    )
  }
}
