import { availableParallelism } from 'node:os'
import { configDefaults, defineConfig } from 'vitest/config'

// The packed package installed into an empty project (tests/package) is its own step: `npm run
// test:package`, which .ci/run runs after `npm test`. It packs, installs and starts the product
// several times over, two minutes of the suite on a quiet machine; naming the file runs it too.
const packageTest = 'tests/package/**'
const ownStep =
  process.env.SSOPROOF_PACKAGE_TEST === '1' ||
  process.argv.some((arg) => arg.includes('tests/package'))

export default defineConfig({
  test: {
    include: [
      '{core,idp,sp,cli,harness,tests,scenarios,reports,scripts,interop}/**/*.test.{ts,tsx}',
    ],
    exclude: ownStep ? configDefaults.exclude : [...configDefaults.exclude, packageTest],
    environment: 'node',
    // Vitest's default (cores − 1) runs the files one at a time on a 2-core machine; most of a
    // file's time is module loading and crypto, so two at once use both cores.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Budgets that catch a hang, not a slow machine: at load 40 on 2 cores an encrypted sign-in
    // took over 30 s. Tests time their figures in CPU or virtual time, or in `npm run bench`.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
})
