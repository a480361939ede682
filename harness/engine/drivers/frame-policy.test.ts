import { describe, expect, it } from 'vitest'
import { framingAllowed } from './frame-policy.ts'

const idp = 'http://127.0.0.1:7000/login?flow=1'
const sp = 'http://127.0.0.1:7100/messenger?open=1'
const allowed = (headers: Record<string, string>, embedder = sp) =>
  framingAllowed(new Headers(headers), idp, embedder)

describe('framingAllowed', () => {
  it('lets any page frame a page that sends neither header', () => {
    expect(allowed({})).toBe(true)
  })

  it("reads frame-ancestors: 'none', 'self', origins, schemes and *", () => {
    expect(allowed({ 'content-security-policy': "frame-ancestors 'none'" })).toBe(false)
    expect(allowed({ 'content-security-policy': 'frame-ancestors' })).toBe(false)
    expect(allowed({ 'content-security-policy': "frame-ancestors 'self'" })).toBe(false)
    expect(allowed({ 'content-security-policy': "frame-ancestors 'self'" }, idp)).toBe(true)
    expect(allowed({ 'content-security-policy': 'frame-ancestors http://127.0.0.1:7100' })).toBe(
      true,
    )
    expect(allowed({ 'content-security-policy': 'frame-ancestors http://127.0.0.1:7200' })).toBe(
      false,
    )
    expect(allowed({ 'content-security-policy': 'frame-ancestors https:' })).toBe(false)
    expect(allowed({ 'content-security-policy': 'frame-ancestors http:' })).toBe(true)
    expect(allowed({ 'content-security-policy': "default-src 'self'; frame-ancestors *" })).toBe(
      true,
    )
  })

  it('lets frame-ancestors win over X-Frame-Options, which alone denies or keeps to its origin', () => {
    expect(
      allowed({
        'content-security-policy': 'frame-ancestors http://127.0.0.1:7100',
        'x-frame-options': 'DENY',
      }),
    ).toBe(true)
    expect(allowed({ 'x-frame-options': 'DENY' })).toBe(false)
    expect(allowed({ 'x-frame-options': 'SAMEORIGIN' })).toBe(false)
    expect(allowed({ 'x-frame-options': 'sameorigin' }, idp)).toBe(true)
    expect(allowed({ 'content-security-policy': "script-src 'self'" })).toBe(true)
  })
})
