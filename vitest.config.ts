import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      '{core,idp,sp,cli,harness,tests,scenarios,reports,scripts,interop}/**/*.test.{ts,tsx}',
    ],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
