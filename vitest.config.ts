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
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
