/**
 * Builds the package: compiles the product (tsconfig.build.json: everything but tests, test
 * support and scripts) into dist/ with its .d.ts files, then copies the one plain-JavaScript
 * module the product imports (scripts/chromium.mjs, shared with the set-up script) beside it.
 * Runtime assets (the scenario catalogue, rules, schemas, example campaigns) are not copied:
 * the package ships them at their repository paths and core/package finds them there.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'dist')

rmSync(dist, { recursive: true, force: true })
const typescript = createRequire(import.meta.url).resolve('typescript/package.json')
const tsc = join(dirname(typescript), 'bin', 'tsc')
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
})
if (compiled.status !== 0) {
  console.error('build: tsc failed')
  process.exit(compiled.status ?? 1)
}
mkdirSync(join(dist, 'scripts'), { recursive: true })
for (const file of ['chromium.mjs', 'chromium.d.mts']) {
  copyFileSync(join(root, 'scripts', file), join(dist, 'scripts', file))
}
