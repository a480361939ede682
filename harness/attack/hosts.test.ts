import { describe, expect, it } from 'vitest'
import { createHostPolicy } from './hosts.ts'

describe('createHostPolicy', () => {
  it('allows loopback and the named hosts only', () => {
    const policy = createHostPolicy(['SP.example.test'])
    for (const url of [
      'http://127.0.0.1:8080/acs',
      'http://127.3.2.1/acs',
      'http://[::1]:9000/acs',
      'https://localhost/acs',
      'https://sp.example.test/acs',
    ]) {
      expect(policy.refusal(url), url).toBeUndefined()
    }
    expect(policy.refusal('https://evil.example/acs')).toContain('evil.example is neither')
    expect(policy.refusal('http://128.0.0.1/acs')).toContain('neither loopback')
    expect(policy.refusal('http://127.0.0.1.evil.example/')).toContain('neither loopback')
    expect(policy.refusal('file:///etc/passwd')).toContain('file: URLs are not contacted')
    expect(policy.refusal('not a url')).toContain('is not a URL')
  })
})
