import { describe, expect, it } from 'vitest'
import { openWithToken, sealWithToken } from './sealed.ts'

describe('sealWithToken', () => {
  it('opens only with the same cookie token, and never shows the secret', () => {
    const sealed = sealWithToken('cookie-a', 'refresh-token-value')
    expect(sealed).not.toContain('refresh-token-value')
    expect(openWithToken('cookie-a', sealed)).toBe('refresh-token-value')
    expect(openWithToken('cookie-b', sealed)).toBeUndefined()
    const [iv, tag, body] = sealed.split('.')
    const altered = `${iv}.${tag}.${(body ?? '').replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`
    expect(openWithToken('cookie-a', altered)).toBeUndefined()
    expect(openWithToken('cookie-a', 'garbage')).toBeUndefined()
    expect(sealWithToken('cookie-a', 'x')).not.toBe(sealWithToken('cookie-a', 'x'))
  })
})
