import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { framePolicy } from './frame-policy.ts'

async function headersFor(frameAncestors: string[] | undefined) {
  const app = new Hono()
  app.use(framePolicy(frameAncestors))
  app.get('/login', (c) => c.html('<p>login</p>'))
  const answer = await app.request('/login')
  return {
    csp: answer.headers.get('content-security-policy'),
    xfo: answer.headers.get('x-frame-options'),
  }
}

describe('the IdP frame policy (CSP frame-ancestors, X-Frame-Options)', () => {
  it('says nothing without a list: any page may frame the IdP', async () => {
    await expect(headersFor(undefined)).resolves.toEqual({ csp: null, xfo: null })
  })

  it('refuses every frame with an empty list, in both headers', async () => {
    await expect(headersFor([])).resolves.toEqual({ csp: "frame-ancestors 'none'", xfo: 'DENY' })
  })

  it('names the allowed sources; X-Frame-Options cannot, so it is left out', async () => {
    await expect(headersFor(["'self'", 'http://127.0.0.1:27500'])).resolves.toEqual({
      csp: "frame-ancestors 'self' http://127.0.0.1:27500",
      xfo: null,
    })
  })
})
