/**
 * Builds the package: compiles the product (tsconfig.build.json: everything but tests, test
 * support and scripts) into dist/ with its .d.ts files — the library that `exports` names — then
 * copies the one plain-JavaScript module the product imports (scripts/chromium.mjs, shared with
 * the set-up script) beside it. Last, the command (bin/ssoproof.js) is bundled with esbuild into
 * dist/command/: its entry, the scenario worker and shared chunks, the dependencies inlined but
 * for native or optional ones, each command still loaded on first use. A person waits for the
 * command's start, and most of it was Node resolving and reading some 850 modules one by one.
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
const require = createRequire(import.meta.url)
// esbuild as tsx (a devDependency) resolves it: the version tsx is tested with, and no change to
// package-lock.json, whose every change makes each checkout's next `npm test` run `npm ci`.
const { build } = require(createRequire(require.resolve('tsx/package.json')).resolve('esbuild'))

rmSync(dist, { recursive: true, force: true })
const typescript = require.resolve('typescript/package.json')
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
// cli/serve-keys.ts imports bin/serve-data-dir.js, plain JavaScript tsc does not compile: beside
// the compiled code too, where dist/cli/serve-keys.js looks for it (../bin/).
mkdirSync(join(dist, 'bin'), { recursive: true })
for (const file of ['serve-data-dir.js', 'serve-data-dir.d.ts']) {
  copyFileSync(join(root, 'bin', file), join(dist, 'bin', file))
}

await build({
  absWorkingDir: root,
  // The runner starts workers from `./worker-loop.js` beside its own chunk, serve its SP's thread
  // from `./serve-sp-thread-worker.js`: all share one folder.
  entryPoints: {
    main: 'cli/main.ts',
    'worker-loop': 'harness/engine/worker-loop.ts',
    'serve-sp-thread-worker': 'cli/serve-sp-thread-worker.ts',
  },
  outdir: join(dist, 'command'),
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  tsconfig: join(root, 'tsconfig.json'),
  // Native (better-sqlite3) or an optional peer the user installs (playwright).
  external: ['better-sqlite3', 'playwright', 'playwright-core'],
  // Bundled CommonJS dependencies (xml-crypto, xmldom…) call require(); ESM has none of its own.
  banner: {
    js: "import{createRequire as __ssoproofCreateRequire}from'node:module';const require=__ssoproofCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
})
