import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningSp, startSpCommand } from '../../cli/sp.ts'
import type { InPage, InPageElement } from '../../harness/browser/in-page.ts'
import { launchChromium } from '../../harness/browser/launch.ts'
import { registrationFromMetadata } from '../../idp/service-providers/from-metadata.ts'
import { defaultUsers } from '../../idp/users/default-users.ts'
import { renderHtml } from '../../reports/html.tsx'
import { sampleReport } from '../../reports/test-support.ts'
import { type LoopbackPair, startLoopbackPair } from '../fixtures/loopback-pair.ts'
import { browserBudget, openContext } from './budget.ts'
import { healthy, type PageHealth, pageHealth } from './page-health.ts'

/**
 * Every page a person sees, in one Chromium: the IdP's, the SP's of `serve` (homes, messenger,
 * agent sign-in, console, admin) and of `ssoproof sp` (diagnostics accepted and rejected, the
 * list, the downloaded file, check-all), and the HTML report from file://. Each is asserted in
 * standards mode, without horizontal overflow at 1280 and 390 px, and with no serious or
 * critical axe-core violation; the messenger is driven by keyboard alone.
 */
describe('every page in real Chromium', browserBudget, () => {
  let browser: Browser
  let bench: LoopbackPair
  let sp: RunningSp
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ssoproof-pages-'))
    ;[browser, bench] = await Promise.all([
      launchChromium(),
      startLoopbackPair({
        users: [
          ...defaultUsers,
          { id: 'anna.idp', name: 'Anna Agent', attributes: { siteId: '1001', loginName: 'anna' } },
        ],
        sp: {
          campaign: {
            name: 'Support',
            signIn: 'optional',
            // Driven by keyboard in place; the silent attempt has a suite of its own.
            silentSignIn: false,
            survey: [
              { name: 'name', label: 'Your name', required: true },
              { name: 'email', label: 'Email', type: 'email' },
            ],
          },
          campaigns: [
            { id: 'shop', name: 'Shop', protocol: 'jwt', signIn: 'required' },
            { id: 'community', name: 'Community', protocol: 'oidc', signIn: 'optional' },
          ],
          agentSso: {
            sites: [{ id: '1001', name: 'Acme support desk' }],
            agents: [{ siteId: '1001', loginName: 'anna', name: 'Anna Agent' }],
          },
        },
      }),
    ])
    sp = await startSpCommand({
      values: {
        'saml-metadata': `${bench.idpUrl}/saml/metadata`,
        'check-all': true,
        port: '0',
        host: '127.0.0.1',
        data: dir,
      },
      log: () => {},
    })
    bench.pair.idp.serviceProviders.register(registrationFromMetadata(sp.sp.metadata()))
  })

  afterAll(async () => {
    await browser?.close()
    await sp?.close()
    await bench?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  /**
   * Runs `visit` with `check(page, name)`, which records the health of the page as it is now,
   * and `newPage()`, a page in a browser context of its own (its own cookies); closes those
   * contexts, then asserts every page checked healthy.
   */
  async function visitPages(
    visit: (
      check: (page: Page, name: string) => Promise<void>,
      newPage: () => Promise<Page>,
    ) => Promise<void>,
  ) {
    const opened: BrowserContext[] = []
    const pages: PageHealth[] = []
    const names: string[] = []
    try {
      await visit(
        async (page, name) => {
          names.push(name)
          pages.push(await pageHealth(page, name))
        },
        async () => {
          const context = await openContext(browser)
          opened.push(context)
          return context.newPage()
        },
      )
    } finally {
      await Promise.all(opened.map((context) => context.close()))
    }
    expect(pages).toEqual(names.map(healthy))
  }

  async function logInAtIdp(page: Page, username: string) {
    await page.waitForSelector('#login-form')
    await page.fill('#username', username)
    await page.click('#login-form button[value=login]')
  }

  it('IdP pages and a sign-in flow: front page, login, signed in, sign-out page with an OIDC client, signed out', async () => {
    await visitPages(async (check, newPage) => {
      const page = await newPage()
      await page.goto(`${bench.idpUrl}/`)
      await expect(page.locator('#endpoints').textContent()).resolves.toContain(
        '/.well-known/openid-configuration',
      )
      await expect(page.locator('#oidc-clients li').count()).resolves.toBe(1)
      await check(page, 'IdP front page')

      await page.goto(`${bench.spUrl}/c/community/login?return_url=/c/community/`)
      await check(page, 'IdP login page')
      await logInAtIdp(page, 'bob')
      await page.waitForURL(`${bench.spUrl}/c/community/`)
      await check(page, 'SP home, signed in (OIDC)')

      await page.goto(`${bench.idpUrl}/logout`)
      // The session holds only an OIDC client: it is listed, with its channel.
      await expect(page.locator('li[data-protocol=oidc] code').textContent()).resolves.toBe(
        `${bench.spUrl}/c/community`,
      )
      await check(page, 'IdP sign-out page')
      await page.click('button[type=submit]')
      await page.waitForSelector('#status, h1')
      await check(page, 'IdP signed out')

      await page.goto(`${bench.idpUrl}/`)
      await expect(page.locator('#journal tbody tr').count()).resolves.toBeGreaterThan(0)
      await check(page, 'IdP front page with a journal')
    })
  })

  it('the SP home links every page, a 404 says so, and the messenger works by keyboard alone', async () => {
    await visitPages(async (check, newPage) => {
      const page = await newPage()
      await page.goto(`${bench.spUrl}/`)
      const links = await navLinks(page)
      expect(links).toEqual([
        '/',
        '/messenger',
        '/c/shop/messenger',
        '/c/community/messenger',
        '/agent',
        '/admin',
      ])
      await check(page, 'SP home')
      await page.goto(`${bench.spUrl}/c/shop/`)
      await check(page, 'SP campaign home (trailing slash)')
      const missing = await page.goto(`${bench.spUrl}/no-such-page`)
      expect(missing?.status()).toBe(404)
      await expect(page.title()).resolves.toMatch(/^Page not found/)
      await check(page, '404 page')

      await page.goto(`${bench.spUrl}/messenger`)
      const launcher = page.locator('#launcher')
      await expect(launcher.getAttribute('aria-expanded')).resolves.toBe('false')
      for (let tab = 0; tab < 10; tab++) {
        if (
          await launcher.evaluate(
            (element) => element === (globalThis as unknown as InPage).document.activeElement,
          )
        )
          break
        await page.keyboard.press('Tab')
      }
      await page.keyboard.press('Enter')
      await expect(page.isVisible('#chat-window')).resolves.toBe(true)
      await expect(launcher.getAttribute('aria-expanded')).resolves.toBe('true')
      await expect(activeId(page)).resolves.toBe('chat-title')
      await check(page, 'messenger, open')
      await page.keyboard.press('Escape')
      await expect(page.isHidden('#chat-window')).resolves.toBe(true)
      await expect(launcher.getAttribute('aria-expanded')).resolves.toBe('false')
      await expect(activeId(page)).resolves.toBe('launcher')
      await page.keyboard.press('Space')
      await expect(page.isVisible('#chat-window')).resolves.toBe(true)

      // Tab from the window's title: the sign-in link, then "Chat as visitor".
      await page.keyboard.press('Tab')
      await page.keyboard.press('Tab')
      await expect(
        page.evaluate(() =>
          (globalThis as unknown as InPage).document.activeElement?.textContent?.trim(),
        ),
      ).resolves.toBe('Chat as visitor')
      await page.keyboard.press('Enter')
      await page.waitForSelector('#chat-window[data-state=survey]')
      // The email field is styled as the text field is.
      const borders = await page
        .locator('#survey input:not([type=hidden])')
        .evaluateAll((inputs) =>
          inputs.map(
            (input) => (globalThis as unknown as InPage).getComputedStyle(input).borderTopStyle,
          ),
        )
      expect(new Set(borders)).toEqual(new Set(['solid']))
      await check(page, 'messenger survey')
      await page.focus('#survey-name')
      await page.keyboard.type('Kim Keyboard')
      await page.keyboard.press('Tab')
      await page.keyboard.type('kim@example.net')
      await page.keyboard.press('Tab')
      await page.keyboard.press('Enter')
      await page.waitForSelector('#chat-window[data-state=conversation]')
      await page.focus('#message-text')
      await page.keyboard.type('Typed without a mouse')
      await page.keyboard.press('Tab')
      await page.keyboard.press('Enter')
      await page.waitForSelector('#messages .message[data-author=visitor]')
      await expect(page.getAttribute('#messages', 'aria-live')).resolves.toBe('polite')
      await check(page, 'messenger conversation')
    })
  })

  it('the agent console with a signed-in visitor: site prompt, admin, queue, conversation, history', async () => {
    await visitPages(async (check, newPage) => {
      const visitor = await newPage()
      await visitor.goto(`${bench.spUrl}/messenger?open=1`)
      await visitor.click('#sign-in')
      const frame = visitor.frameLocator('#chat-window #sign-in-frame')
      await frame.locator('#username').fill('alice')
      await frame.locator('#login-form button[value=login]').click()
      await visitor.waitForSelector('#visitor-identity[data-external-id=alice]')
      await visitor.fill('#message-text', 'Where is my order 4711?')
      await visitor.click('#message-form button')
      await visitor.waitForSelector('#messages .message[data-author=visitor]')
      const id = await visitor.getAttribute('#chat-window', 'data-conversation-id')

      const agent = await newPage()
      await agent.goto(`${bench.spUrl}/agent`)
      await agent.waitForSelector('#site-form')
      await expect(agent.locator('#sites li[data-site="1001"]').textContent()).resolves.toContain(
        'Acme support desk',
      )
      await check(agent, 'agent site prompt')
      await agent.click('#sites li[data-site="1001"] a')
      await logInAtIdp(agent, 'anna.idp')
      await agent.waitForURL(`${bench.spUrl}/agent`)
      await check(agent, 'console queue')
      await agent.click(`.conversation[data-id="${id}"] a`)
      await expect(agent.textContent('#external-id')).resolves.toBe('alice')
      await expect(agent.isVisible('#verified')).resolves.toBe(true)
      await expect(agent.textContent('#contact tr[data-field=email] th')).resolves.toBe('Email')
      // The queue, the transcript and the identity card side by side at 1280 px.
      const [queue, transcript, card] = await Promise.all(
        ['.queue', '.transcript-pane', '.identity-card'].map((selector) =>
          agent.locator(selector).boundingBox(),
        ),
      )
      expect(queue && transcript && card).toBeTruthy()
      expect((queue?.x ?? 0) < (transcript?.x ?? 0)).toBe(true)
      expect((transcript?.x ?? 0) < (card?.x ?? 0)).toBe(true)
      expect(Math.abs((queue?.y ?? 0) - (card?.y ?? 1))).toBeLessThan(80)
      await check(agent, 'console conversation')

      // The reply is appended to the visitor's live list: the messages already read stay.
      await visitor.evaluate(() => {
        const { document } = globalThis as unknown as InPage
        ;(document.querySelector('#messages .message') as InPageElement).dataset.seen = '1'
      })
      await agent.fill('#reply-text', 'It ships today.')
      await agent.click('#reply button')
      await visitor.waitForSelector('#messages .message[data-author=agent][data-kind=text]')
      await expect(visitor.locator('#messages .message[data-seen="1"]').count()).resolves.toBe(1)

      await agent.click('#end-conversation button')
      await agent.goto(`${bench.spUrl}/agent/history`)
      await expect(
        agent.locator(`#recent-transcripts .transcript[data-conversation-id="${id}"]`).count(),
      ).resolves.toBe(1)
      await check(agent, 'console history, recent')
      await agent.goto(`${bench.spUrl}/agent/history?external_id=alice`)
      await check(agent, 'console history, search')
      await agent.goto(`${bench.spUrl}/admin`)
      await check(agent, 'SP admin')
    })
  })

  it('ssoproof sp: home, check-all, accepted and rejected diagnostics, the list and the download', async () => {
    await visitPages(async (check, newPage) => {
      const page = await newPage()
      await page.goto(`${sp.url}/`)
      const links = await navLinks(page)
      expect(links).toEqual(
        expect.arrayContaining(['/messenger', '/agent', '/diagnostics', '/check-all']),
      )
      await check(page, 'ssoproof sp home')
      await page.goto(`${sp.url}/check-all`)
      await check(page, 'check-all')
      await page.click('#next')
      await logInAtIdp(page, 'alice')
      await page.waitForURL(`${sp.url}/diagnostics/**`)
      await expect(page.getAttribute('#verdict', 'data-verdict')).resolves.toBe('accepted')
      const acceptedColour = await verdictColour(page)
      await check(page, 'diagnostics, accepted')
      await page.goto(`${sp.url}/check-all`)
      await check(page, 'check-all, step 1 passed')

      // A certificate no one trusts: refused, with long fingerprints as evidence.
      bench.pair.idp.faults.add({ kind: 'saml-untrusted-key', remaining: 1 })
      await page.goto(`${sp.url}/login`)
      await page.waitForURL(`${sp.url}/diagnostics/**`)
      await expect(page.getAttribute('#verdict', 'data-verdict')).resolves.toBe('rejected')
      await expect(page.textContent('h1')).resolves.toMatch(/^Sign-in refused$/)
      const rejectedColour = await verdictColour(page)
      expect(rejectedColour).not.toBe(acceptedColour)
      await expect(page.textContent('#summary')).resolves.toContain('What to change at your IdP')
      await expect(page.locator('pre.code .hl-tag').count()).resolves.toBeGreaterThan(10)
      await check(page, 'diagnostics, rejected')

      const download = await page.evaluate(async () =>
        (await fetch(`${(globalThis as unknown as InPage).location.href}.html`)).text(),
      )
      const file = join(dir, 'diagnostics.html')
      await writeFile(file, download)
      await page.goto(pathToFileURL(file).href)
      await check(page, 'diagnostics download (file://)')

      await page.goto(`${sp.url}/diagnostics`)
      await expect(page.locator('#attempts .badge.rejected').count()).resolves.toBe(1)
      await check(page, 'diagnostics list')
    })
  })

  it('the HTML run report, from file://, its packed traces opened on demand', async () => {
    const file = join(dir, 'report.html')
    await writeFile(file, renderHtml(sampleReport()))
    await visitPages(async (check, newPage) => {
      const page = await newPage()
      await page.goto(pathToFileURL(file).href)
      await check(page, 'HTML report')
      // A passed result's trace is packed: opening it unpacks it, offline, from file://.
      await page.click('#result-1 > summary')
      const trace = page.locator('#result-1 details.trace[data-trace]').first()
      await trace.locator('summary').click()
      await trace.locator('.trace-body .exchange').first().waitFor()
      await expect(trace.locator('.exchange .method').first().textContent()).resolves.toMatch(
        /^(GET|POST)$/,
      )
    })
  })
})

/** The hrefs of the site navigation, in order. */
function navLinks(page: Page): Promise<(string | null)[]> {
  return page
    .locator('#site-nav a')
    .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')))
}

/** The computed text colour of the diagnostics verdict. */
function verdictColour(page: Page): Promise<string> {
  return page
    .locator('#verdict')
    .evaluate((element) => (globalThis as unknown as InPage).getComputedStyle(element).color)
}

/** The id of the element that has the keyboard focus. */
function activeId(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.id)
}
