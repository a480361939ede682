import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      '{core,idp,sp,cli,harness,tests,scenarios,reports,scripts,interop}/**/*.test.{ts,tsx}',
    ],
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
