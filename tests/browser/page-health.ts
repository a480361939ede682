import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright'
import type { InPage, InPageDocument } from '../../harness/browser/in-page.ts'

/** axe-core's own bundle, injected into each page as the axe docs describe. */
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

/** The widths a page must fit: a laptop and a phone. */
export const widths = [1280, 390] as const

/** What the page suite asserts of a page; a healthy one is `{ page, mode: 'CSS1Compat', overflow: [], violations: [] }`. */
export interface PageHealth {
  page: string
  /** `CSS1Compat` is standards mode; `BackCompat` is quirks mode (no doctype). */
  mode: string
  /** Each width at which the page is wider than the window, with the elements that stick out. */
  overflow: string[]
  /** axe-core violations of serious or critical impact: rule id and the first elements. */
  violations: string[]
}

export const healthy = (page: string): PageHealth => ({
  page,
  mode: 'CSS1Compat',
  overflow: [],
  violations: [],
})

async function overflowAt(page: Page, width: number): Promise<string | undefined> {
  await page.setViewportSize({ width, height: 800 })
  return page.evaluate((width) => {
    const { document } = globalThis as unknown as InPage
    const root = document.documentElement
    if (root.scrollWidth <= root.clientWidth) return undefined
    const outside = [...document.body.querySelectorAll('*')]
      .filter((element) => element.getBoundingClientRect().right > width + 1)
      .slice(-3)
      .map((element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}`)
    return `${width} px: ${root.scrollWidth} px wide (${outside.join(', ')})`
  }, width)
}

/** Standards mode, no horizontal overflow at either width, and no serious axe violation. */
export async function pageHealth(page: Page, name: string): Promise<PageHealth> {
  const mode = await page.evaluate(() => (globalThis as unknown as InPage).document.compatMode)
  const overflow: string[] = []
  for (const width of widths) {
    const found = await overflowAt(page, width)
    if (found) overflow.push(found)
  }
  await page.setViewportSize({ width: widths[0], height: 800 })
  if (!(await page.evaluate(() => 'axe' in globalThis)))
    await page.addScriptTag({ content: axeSource })
  const violations = await page.evaluate(async () => {
    const { axe, document } = globalThis as unknown as InPage & { axe: AxeApi }
    const results = await axe.run(document, { resultTypes: ['violations'] })
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) =>
          `${violation.id}: ${violation.nodes
            .slice(0, 3)
            .map((node) => node.target.join(' '))
            .join(', ')}`,
      )
  })
  return { page: name, mode, overflow, violations }
}

/** The part of axe-core's API the page evaluates. */
interface AxeApi {
  run(
    context: InPageDocument,
    options: { resultTypes: string[] },
  ): Promise<{
    violations: { id: string; impact?: string | null; nodes: { target: string[] }[] }[]
  }>
}
