import type { Browser } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../../harness/browser/launch.ts'
import { openContext } from '../browser/budget.ts'
import { startLoopbackPair } from '../fixtures/loopback-pair.ts'

describe('JWT and OpenID Connect sign-in in real Chromium, through the IdP login page', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it.each(['jwt', 'oidc'] as const)(
    '%s: a person clicks Sign in, logs in at the IdP, lands back signed in, and signs out',
    async (protocol) => {
      const running = await startLoopbackPair({ protocol })
      const context = await openContext(browser)
      try {
        const page = await context.newPage()
        await page.goto(`${running.spUrl}/`)
        await page.click('#sign-in')
        await page.waitForURL(
          protocol === 'jwt'
            ? `${running.idpUrl}/jwt/login?**`
            : `${running.idpUrl}/oidc/authorize?**`,
        )
        await page.fill('#username', 'carol')
        await page.fill('#password', 'carol-secret')
        await page.click('#login-form button[value=login]')
        await page.waitForURL(`${running.spUrl}/`)
        await expect(page.locator('#user-name').textContent()).resolves.toBe('Carol Chen')
        await expect(page.locator('#external-id').textContent()).resolves.toBe('carol')
        await expect(page.locator('#attributes').textContent()).resolves.toContain('moderator')

        // Signing out goes through the IdP (sign-off URL / end_session) and back, signed out.
        await page.click('text=Sign out')
        await page.waitForURL(`${running.spUrl}/`)
        await expect(page.locator('#status').textContent()).resolves.toContain('not signed in')
        await page.click('#sign-in')
        await expect(page.locator('#login-form').count()).resolves.toBe(1)
      } finally {
        await context.close()
        await running.close()
      }
    },
  )
})
