import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** The checkout's bin: TypeScript through tsx (what a developer runs in the clone). */
export const checkoutBin = join(root, 'bin', 'ssoproof.js')

/** oauth2-mock-server's command, as npm links it. */
export const peerBin = join(
  root,
  'node_modules',
  'oauth2-mock-server',
  'dist',
  'oauth2-mock-server.mjs',
)

/**
 * Builds dist/ (`npm run build`) and lays the package out as npm installs it — bin/, dist/, the
 * runtime files, package.json and no TypeScript sources beside bin/ — with the checkout's
 * node_modules linked in. Returns the path of its bin/ssoproof.js, which then runs dist/.
 */
export function stagePackage(scratchDir: string): Promise<string> {
  // Built once per bench run: figures 6–8 all run the package.
  staged ??= buildAndStage(scratchDir)
  return staged
}

let staged: Promise<string> | undefined

async function buildAndStage(scratchDir: string): Promise<string> {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
    stdio: 'inherit',
  })
  if (built.status !== 0) throw new Error('npm run build failed')
  const stage = mkdtempSync(join(scratchDir, 'package-'))
  for (const path of ['bin', 'package.json', 'scenarios', 'sp/campaigns']) {
    if (path.includes('/')) mkdirSync(join(stage, path, '..'), { recursive: true })
    cpSync(join(root, path), join(stage, path), { recursive: true })
  }
  cpSync(join(root, 'dist'), join(stage, 'dist'), { recursive: true })
  symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'), 'dir')
  return join(stage, 'bin', 'ssoproof.js')
}
