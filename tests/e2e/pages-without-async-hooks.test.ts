import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const child = fileURLToPath(new URL('./pages-without-async-hooks.child.ts', import.meta.url))

describe('pages rendered without AsyncLocalStorage (core/http/render-html.ts)', () => {
  it('a whole sign-in with its pages leaves async_hooks off in a fresh process', async () => {
    // In a process of its own: vitest's worker may have hooks on already.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', child], {
      timeout: 60_000,
    })
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')
    // The flow really ran through the pages: form, refusal, sign-in, error pages.
    expect(result.name).toBe('Alice Andersen')
    expect(result.pages).toEqual({
      'idp home': 200,
      'idp not found': 404,
      'sp home, signed out': 200,
      'idp login form': 200,
      'idp login refused': 401,
      'signed in, sp home': 200,
      'sp not found': 404,
    })
    expect(result.hooksBefore).toBe(false)
    expect(result.entered).toEqual([])
    expect(result.hooksAfter).toBe(false)
  })
})
