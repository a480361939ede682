import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright'

/**
 * A test that drives Chromium through several pages takes 10 s on an idle 2-core machine and
 * several times that at load 20; the 30 s default would fail on a busy machine, not on a defect.
 * Waits inside the tests end as soon as the page is ready, so a large budget costs nothing.
 */
export const browserBudget = { timeout: 300_000 }

/** Playwright's own 30 s default for a wait or a navigation: seen to run out at load 20. */
const waitMs = 90_000

/** A browser context whose waits, navigations and popups get the budget above, not 30 s. */
export async function openContext(
  browser: Browser,
  options?: BrowserContextOptions,
): Promise<BrowserContext> {
  const context = await browser.newContext(options)
  context.setDefaultTimeout(waitMs)
  context.setDefaultNavigationTimeout(waitMs)
  return context
}

/** A page in a context of its own (closed with the page), with the budget of `openContext`. */
export async function openPage(browser: Browser): Promise<Page> {
  const context = await openContext(browser)
  const page = await context.newPage()
  page.once('close', () => void context.close())
  return page
}
