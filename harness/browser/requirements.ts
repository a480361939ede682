import { resolveChromiumPath } from '../../scripts/chromium.mjs'

/**
 * What the browser driver lacks on this machine, said with the command that fixes it; undefined
 * when it can start. Playwright is an optional peer dependency of the package (only this driver
 * needs it) and Chromium comes from the system, never downloaded.
 */
export async function browserDriverProblem(): Promise<string | undefined> {
  try {
    await import('playwright')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error
    return 'the browser driver needs Playwright, which is not installed: run "npm install playwright" (ssoproof uses the system Chromium; no browser download is needed)'
  }
  try {
    resolveChromiumPath()
  } catch (error) {
    return `the browser driver needs Chromium: ${(error as Error).message}`
  }
  return undefined
}
