import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InPageImage } from '../../harness/browser/in-page.ts'
import { launchChromium } from '../../harness/browser/launch.ts'
import { renderHtml } from '../../reports/html.tsx'
import {
  failedStepOf,
  samplePng,
  sampleReport,
  screenshotPath,
} from '../../reports/test-support.ts'
import { browserBudget, openContext } from './budget.ts'

const outDir = new URL('../../reports/out/', import.meta.url)
const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

describe('the HTML report in real Chromium', browserBudget, () => {
  let browser: Browser
  let dir: string
  let reportUrl: string

  beforeAll(async () => {
    const report = sampleReport()
    // Markup in a message must stay text in a real browser too: this would set a global if run.
    failedStepOf(report).message =
      '<img src=x onerror="window.injected = true"><script>window.injected = true</script>'
    dir = await mkdtemp(join(tmpdir(), 'ssoproof-report-html-'))
    const file = join(dir, 'report.html')
    const html = renderHtml(report, { screenshots: { [screenshotPath]: samplePng(320, 180) } })
    await writeFile(file, html)
    reportUrl = pathToFileURL(file).href
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await rm(dir, { recursive: true, force: true })
  })

  async function open(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('request', (request) => {
      if (!/^(file|data):/.test(request.url())) errors.push(`fetched ${request.url()}`)
    })
    await page.goto(reportUrl)
    expect(errors).toEqual([])
    return page
  }

  it('shows the summary counts and renders to a screenshot', async () => {
    const page = await open()
    await expect(page.locator('#count-total').textContent()).resolves.toBe('5')
    await expect(page.locator('#count-passed').textContent()).resolves.toBe('3')
    await expect(page.locator('#count-failed').textContent()).resolves.toBe('2')
    await expect(page.locator('#count-rules-covered').textContent()).resolves.toBe('1 of 7')
    await expect(page.evaluate(() => 'injected' in globalThis)).resolves.toBe(false)
    await expect(
      page.locator('#result-3 li.step.failed .message').textContent(),
    ).resolves.toContain('<script>window.injected = true</script>')
    // The embedded screenshot decodes as an image.
    const width = await page
      .locator('#result-4 figure img')
      .evaluate((image: InPageImage) => image.naturalWidth)
    expect(width).toBe(320)

    const png = await page.screenshot({ fullPage: true })
    expect(png.length).toBeGreaterThan(1000)
    expect([...png.subarray(0, 8)]).toEqual(pngSignature)
    await mkdir(outDir, { recursive: true })
    await writeFile(new URL('report-html.png', outDir), png)
    await page.close()
  })

  it('the failed filter hides passing scenarios; protocol, tag and text filters narrow further', async () => {
    const page = await open()
    const visibleIds = () =>
      page
        .locator('details.scenario:visible')
        .evaluateAll((blocks) => blocks.map((block) => block.getAttribute('data-result-id')))

    await expect(page.locator('#filters').isVisible()).resolves.toBe(true)
    await expect(visibleIds()).resolves.toHaveLength(5)

    await page.selectOption('#filter-status', 'failed')
    await expect(visibleIds()).resolves.toEqual([
      'session.expiry-48h [saml]',
      'logout.idp-initiated [saml]',
    ])
    await expect(page.locator('#result-1').isHidden()).resolves.toBe(true)
    await expect(page.locator('#count-shown').textContent()).resolves.toBe('2')

    await page.selectOption('#filter-status', 'passed')
    await page.selectOption('#filter-protocol', 'jwt')
    await expect(visibleIds()).resolves.toEqual(['sign-in.first-time [jwt]'])

    await page.selectOption('#filter-protocol', '')
    await page.selectOption('#filter-tag', 'mapping')
    await expect(visibleIds()).resolves.toEqual(['mapping.missing-attribute [oidc]'])

    await page.selectOption('#filter-status', 'all')
    await page.selectOption('#filter-tag', '')
    await page.fill('#filter-text', 'idp-initiated LOGOUT')
    await expect(visibleIds()).resolves.toEqual(['logout.idp-initiated [saml]'])

    await page.fill('#filter-text', 'no such scenario')
    await expect(visibleIds()).resolves.toEqual([])
    await expect(page.locator('#no-match').isVisible()).resolves.toBe(true)
    await page.close()
  })

  it('a rule’s link opens its scenario even when the filters hid it', async () => {
    const page = await open()
    await page.selectOption('#filter-status', 'failed')
    await page.locator('#result-1').waitFor({ state: 'hidden', timeout: 60_000 })
    await page.locator('#rules tr[data-rule-id="MAP-1"] a').click()
    // The link works through the hashchange event, which fires after the click returns.
    await page.locator('#result-1').waitFor({ state: 'visible', timeout: 60_000 })
    await expect(page.locator('#result-1').getAttribute('open')).resolves.toBe('')
    await expect(page.locator('#filter-status').inputValue()).resolves.toBe('all')
    await page.close()
  })

  it('without scripts, shows every scenario and no filter bar', async () => {
    const context = await openContext(browser, { javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto(reportUrl)
    await expect(page.locator('#filters').isVisible()).resolves.toBe(false)
    await expect(page.locator('details.scenario:visible').count()).resolves.toBe(5)
    await expect(page.locator('#count-failed').textContent()).resolves.toBe('2')
    await context.close()
  })
})
