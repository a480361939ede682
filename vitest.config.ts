import { availableParallelism } from 'node:os'
import { configDefaults, defineConfig } from 'vitest/config'

// The packed package installed into an empty project (tests/package) is its own step: `npm run
// test:package`, which .ci/run runs after `npm test`. It packs, installs and starts the product
// several times over, two minutes of the suite on a quiet machine; naming the file runs it too.
const packageTest = 'tests/package/**'
const ownStep =
  process.env.SSOPROOF_PACKAGE_TEST === '1' ||
  process.argv.some((arg) => arg.includes('tests/package'))

// The tests beside the product's code (core, idp, sp) share one module graph per worker: a
// fresh process and module graph per file (vitest's isolation) cost more than their tests
// (148 files: 5 min instead of 13 at load 15). They leave no global state behind (a server
// started with @hono/node-server swaps the global Response: native-fetch-globals.ts puts Node's
// back after each file): they pass in shuffled order (`--project product --sequence.shuffle`). The harness, CLI and
// end-to-end suites start servers, workers and browsers, and keep a process each.
const productTests = '{core,idp,sp}/**/*.test.{ts,tsx}'
const otherTests = '{cli,harness,tests,scenarios,reports,scripts,interop}/**/*.test.{ts,tsx}'

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'product',
          include: [productTests],
          isolate: false,
          setupFiles: ['tests/fixtures/native-fetch-globals.ts'],
        },
      },
      { extends: true, test: { name: 'harness', include: [otherTests] } },
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
