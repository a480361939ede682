import type { Page } from '../../harness/http-driver/user-agent.ts'
import type { LabBrowser } from '../lab/browser.ts'

/** At ssoproof's IdP login form: signs in as `userId`, and follows the answer back to the SP. */
export async function signInAtIdp(browser: LabBrowser, page: Page, userId: string): Promise<Page> {
  if (!page.document.querySelector('#login-form')) {
    throw new Error(
      `expected the IdP login form, got HTTP ${page.status} at ${page.url}: ${page.document.text.replace(/\s+/g, ' ').trim().slice(0, 300)}`,
    )
  }
  return browser.submit(
    page,
    '#login-form',
    { username: userId },
    { name: 'action', value: 'login' },
  )
}

/** A page the lab's peer helpers answer as JSON (whoami pages); a clear error otherwise. */
export function pageJson<T>(page: Page): T {
  try {
    return JSON.parse(page.html) as T
  } catch {
    throw new Error(
      `expected JSON at ${page.url}, got HTTP ${page.status}: ${page.document.text.replace(/\s+/g, ' ').trim().slice(0, 400)}`,
    )
  }
}
