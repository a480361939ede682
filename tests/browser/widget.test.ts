import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../../harness/browser/launch.ts'
import { type LoopbackPair, startLoopbackPair } from '../fixtures/loopback-pair.ts'
import { browserBudget, openContext } from './budget.ts'

/** Not committed (reports/out is ignored): look at them after a run. */
const screenshots = join(import.meta.dirname, '../../reports/out/screenshots')

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: join(screenshots, `${name}.png`) })
}

async function logInAtIdp(page: Page, username: string) {
  await page.fill('#username', username)
  await page.click('#login-form button[value=login]')
}

const campaigns = {
  campaign: { name: 'Acme Support', signIn: 'optional' as const },
  campaigns: [
    { id: 'shop', name: 'Shop', signIn: 'optional' as const },
    {
      id: 'members',
      name: 'Members',
      signIn: 'required' as const,
      silentSignIn: false,
      allowUnsolicited: true,
    },
    {
      id: 'desk',
      name: 'Desk',
      protocol: 'jwt' as const,
      signIn: 'required' as const,
      silentSignIn: false,
    },
  ],
}

/**
 * The messenger as a widget in Chromium: silent SSO when the chat opens, the IdP's login inside
 * the conversation panel where the IdP lets itself be framed and a popup where it does not, and
 * the messenger's JavaScript API handing over a JWT and a SAML artifact.
 */
describe('the messenger widget in real Chromium', browserBudget, () => {
  let browser: Browser
  let framed: LoopbackPair
  let unframed: LoopbackPair

  beforeAll(async () => {
    ;[browser, framed, unframed] = await Promise.all([
      launchChromium(),
      startLoopbackPair({ sp: campaigns }),
      startLoopbackPair({ sp: campaigns, idpFrameAncestors: [] }),
      mkdir(screenshots, { recursive: true }),
    ])
  })

  afterAll(async () => {
    await browser?.close()
    await Promise.all([framed?.close(), unframed?.close()])
  })

  it('signs in inside the panel where the IdP allows framing; the next opening is silent', async () => {
    const context = await openContext(browser, { viewport: { width: 1100, height: 900 } })
    try {
      const page = await context.newPage()
      await page.goto(`${framed.spUrl}/messenger`)
      // The first opening tries a silent sign-in: no IdP session, so back as a guest, no error.
      await page.click('#launcher')
      await page.waitForSelector('#chat-window[data-state=choose]:not([hidden])')
      expect(page.url()).toBe(`${framed.spUrl}/messenger?open=1`)
      await expect(page.locator('#chat-window').getAttribute('data-silent')).resolves.toBe('0')

      await page.click('#chat-window #sign-in')
      const frame = page.frameLocator('#chat-window #sign-in-frame')
      await frame.locator('#login-form').waitFor()
      await expect(page.isHidden('#sign-in-fallback')).resolves.toBe(true)
      expect(page.url()).toBe(`${framed.spUrl}/messenger?open=1`)
      await shoot(page, 'widget-login-in-panel')
      await frame.locator('#username').fill('alice')
      await frame.locator('#login-form button[value=login]').click()
      await page.waitForSelector('#visitor-identity[data-external-id=alice]')
      await expect(page.getAttribute('#chat-window', 'data-state')).resolves.toBe('conversation')
      await shoot(page, 'widget-signed-in-from-panel')

      // Another campaign of the same site: opening its chat signs alice in with no click.
      const loads: string[] = []
      page.on('framenavigated', (navigated) => {
        if (navigated === page.mainFrame()) loads.push(navigated.url())
      })
      await page.goto(`${framed.spUrl}/c/shop/messenger`)
      await page.click('#launcher')
      await page.waitForSelector('#visitor-identity[data-external-id=alice]')
      expect(page.url()).toBe(`${framed.spUrl}/c/shop/messenger?open=1`)
      expect(loads.some((url) => url.startsWith(`${framed.idpUrl}/saml/sso?`))).toBe(true)
      await expect(page.locator('#login-form').count()).resolves.toBe(0)
      await shoot(page, 'widget-silent-sso-connected')
    } finally {
      await context.close()
    }
  })

  it('falls back to a popup when the IdP refuses to be framed', async () => {
    const context = await openContext(browser, { viewport: { width: 1100, height: 900 } })
    try {
      const page = await context.newPage()
      await page.goto(`${unframed.spUrl}/messenger?open=1`)
      await page.waitForSelector('#chat-window[data-state=choose]')
      await page.click('#chat-window #sign-in')
      // The frame is refused (frame-ancestors 'none'): the panel says so and offers a popup.
      await page.waitForSelector('#sign-in-fallback:not([hidden])')
      await expect(page.isHidden('#sign-in-frame')).resolves.toBe(true)
      await shoot(page, 'widget-login-refused-popup-fallback')
      const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#sign-in-popup')])
      await popup.waitForSelector('#login-form')
      const closed = popup.waitForEvent('close')
      await logInAtIdp(popup, 'bob')
      await closed
      await page.waitForSelector('#visitor-identity[data-external-id=bob]')
      expect(page.url()).toBe(`${unframed.spUrl}/messenger?open=1`)
    } finally {
      await context.close()
    }
  })

  it("the site's JavaScript hands a SAML artifact and a JWT to the messenger", async () => {
    const context = await openContext(browser)
    try {
      const page = await context.newPage()
      // Signed in at the IdP through another campaign; the members and desk chats know nothing yet.
      await page.goto(`${framed.spUrl}/c/shop/login?return_url=/c/shop/messenger`)
      await logInAtIdp(page, 'alice')
      await page.waitForSelector('#chat-window[data-signed-in="1"]', { state: 'attached' })

      const members = framed.pair.sp.campaigns.get('members')?.config.entityId ?? ''
      await page.goto(`${framed.spUrl}/c/members/messenger?open=1`)
      await page.waitForSelector('#chat-window[data-state=sign-in-required]')
      // set() reloads the window once the SP accepted: its result is kept in sessionStorage (it
      // outlives the reload) and read afterwards, instead of racing the reload back to the test.
      await page.evaluate(
        async ({ idp, sp }) => {
          const answer = await fetch(`${idp}/saml/page-artifact?sp=${encodeURIComponent(sp)}`, {
            method: 'POST',
            credentials: 'include',
          })
          const { artifact } = (await answer.json()) as { artifact: string }
          const api = (globalThis as unknown as { ssoproofMessenger: MessengerApi })
            .ssoproofMessenger
          void api
            .set('livechat.sso.artifact', artifact)
            .then((accepted) =>
              (globalThis as unknown as PageStorage).sessionStorage.setItem(
                'set-result',
                JSON.stringify(accepted),
              ),
            )
        },
        { idp: framed.idpUrl, sp: members },
      )
      await page.waitForSelector('#visitor-identity[data-external-id=alice]')
      const artifactAccepted = await page.evaluate(() =>
        (globalThis as unknown as PageStorage).sessionStorage.getItem('set-result'),
      )
      expect(artifactAccepted).toBe('true')
      expect(page.url()).toBe(`${framed.spUrl}/c/members/messenger?open=1`)

      await page.goto(`${framed.spUrl}/c/desk/messenger?open=1`)
      await page.waitForSelector('#chat-window[data-state=sign-in-required]')
      await page.evaluate(
        async ({ idp, sp }) => {
          const api = (globalThis as unknown as { ssoproofMessenger: MessengerApi })
            .ssoproofMessenger
          const refused = await api.set('livechat.sso.jwt', 'not-a-token')
          const unknown = await api.set('livechat.sso.password', 'x')
          const answer = await fetch(`${idp}/jwt/token?sp=${encodeURIComponent(sp)}`, {
            method: 'POST',
            credentials: 'include',
          })
          const { token } = (await answer.json()) as { token: string }
          void api
            .set('livechat.sso.jwt', token)
            .then((accepted) =>
              (globalThis as unknown as PageStorage).sessionStorage.setItem(
                'set-result',
                JSON.stringify({ refused, unknown, accepted }),
              ),
            )
        },
        { idp: framed.idpUrl, sp: `${framed.spUrl}/c/desk` },
      )
      await page.waitForSelector('#visitor-identity[data-external-id=alice]')
      const results = JSON.parse(
        (await page.evaluate(() =>
          (globalThis as unknown as PageStorage).sessionStorage.getItem('set-result'),
        )) ?? 'null',
      )
      expect(results).toEqual({ refused: false, unknown: false, accepted: true })
      expect(page.url()).toBe(`${framed.spUrl}/c/desk/messenger?open=1`)
    } finally {
      await context.close()
    }
  })
})

/** The page's sessionStorage (the tests compile without the DOM's types). */
interface PageStorage {
  sessionStorage: { setItem(key: string, value: string): void; getItem(key: string): string | null }
}

interface MessengerApi {
  set(name: string, value: string): Promise<boolean>
}
