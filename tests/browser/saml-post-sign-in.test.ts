import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServe, startServe } from '../../cli/serve.ts'
import { launchChromium } from '../../harness/browser/launch.ts'
import { browserBudget, openContext, openPage } from './budget.ts'

describe('SAML sign-in in real Chromium against `serve` on loopback', browserBudget, () => {
  let browser: Browser
  let running: RunningServe
  let dataDir: string

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ssoproof-browser-'))
    ;[browser, running] = await Promise.all([
      launchChromium(),
      startServe({ idpPort: 0, spPort: 0, host: '127.0.0.1', dataDir, log: () => {} }),
    ])
  })

  afterAll(async () => {
    await browser?.close()
    await running?.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('a person clicks Sign in, logs in at the IdP and lands back signed in', async () => {
    const page = await openPage(browser)
    await page.goto(`${running.spUrl}/`)
    await expect(page.locator('#status').textContent()).resolves.toContain('not signed in')

    await page.click('#sign-in')
    await page.waitForURL(`${running.idpUrl}/saml/sso?**`)
    await page.fill('#username', 'alice')
    await page.click('#login-form button[value=login]')

    await page.waitForURL(`${running.spUrl}/`)
    await expect(page.locator('#user-name').textContent()).resolves.toBe('Alice Andersen')
    await expect(page.locator('#user-email').textContent()).resolves.toBe('alice@example.com')

    // Signing in again while the IdP session lasts needs no form.
    await page.goto(`${running.spUrl}/login`)
    await page.waitForURL(`${running.spUrl}/`)
    await expect(page.locator('#user-name').textContent()).resolves.toBe('Alice Andersen')

    // Signing out is single logout: through the IdP and back, signed out at both.
    await page.click('text=Sign out')
    await page.waitForURL(`${running.spUrl}/saml/slo?SAMLResponse=**`)
    await expect(page.locator('#signed-out').textContent()).resolves.toBe('You are signed out')
    await page.click('text=Back to the start page')
    await page.click('#sign-in')
    await page.waitForURL(`${running.idpUrl}/saml/sso?**`)
    await expect(page.locator('#login-form').count()).resolves.toBe(1)
    await page.close()
  })

  it('a person picks a password-protected test user and gets the error for a wrong password', async () => {
    const context = await openContext(browser)
    const page = await context.newPage()
    await page.goto(`${running.spUrl}/login`)
    await page.fill('#username', 'carol')
    await page.fill('#password', 'wrong')
    await page.click('#login-form button[value=login]')
    await expect(page.locator('#login-error').textContent()).resolves.toContain('Wrong password')
    await page.fill('#password', 'carol-secret')
    await page.click('#login-form button[value=login]')
    await page.waitForURL(`${running.spUrl}/`)
    await expect(page.locator('#user-name').textContent()).resolves.toBe('Carol Chen')
    await context.close()
  })
})
