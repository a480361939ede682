/**
 * Where ssoproof finds Chromium: the one list read by `scripts/setup.mjs` and by the browser
 * tests. Plain JavaScript without dependencies, because set-up runs before node_modules exists.
 */
import { accessSync, constants } from 'node:fs'

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

/**
 * The Chromium executable: `SSOPROOF_CHROMIUM` when set, otherwise the first of the usual
 * system paths that exists. Throws an Error that says how to install Chromium otherwise.
 */
export function resolveChromiumPath(env = process.env) {
  const chosen = env.SSOPROOF_CHROMIUM
  if (chosen) {
    if (isExecutable(chosen)) return chosen
    throw new Error(`SSOPROOF_CHROMIUM is set to ${chosen}, which is not an executable file.`)
  }
  const found = candidates.find(isExecutable)
  if (found) return found
  throw new Error(
    `Chromium was not found at ${candidates.join(', ')}. Install it (Debian/Ubuntu: ` +
      'sudo apt-get install -y chromium) or set SSOPROOF_CHROMIUM to its executable.',
  )
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
