import { type Browser, chromium } from 'playwright'
import { resolveChromiumPath } from '../../scripts/chromium.mjs'

export { resolveChromiumPath }

export interface LaunchOptions {
  /** Default: true. Set false to watch a scenario run on a desktop. */
  headless?: boolean
}

/** Keeps the browser from talking to anything but the servers under test. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/** Starts the system Chromium (see `scripts/chromium.mjs`); the one way ssoproof opens a browser. */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: resolveChromiumPath(),
    headless: options.headless ?? true,
    args: chromiumArgs,
  })
}
