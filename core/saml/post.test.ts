import { describe, expect, it } from 'vitest'
import type { SsoError } from '../errors/index.ts'
import { decodePost, postForm } from './post.ts'

describe('HTTP-POST binding', () => {
  it('renders a self-submitting form with a no-script button and escaped values', () => {
    const page = postForm({
      action: 'https://sp.example/acs?x=1&y=2',
      param: 'SAMLResponse',
      xml: '<r/>',
      relayState: '"/><script>',
    })
    expect(page).toContain('<body onload="document.forms[0].submit()">')
    expect(page).toContain('action="https://sp.example/acs?x=1&amp;y=2"')
    expect(page).toContain(`name="SAMLResponse" value="${Buffer.from('<r/>').toString('base64')}"`)
    expect(page).toContain('value="&quot;/&gt;&lt;script&gt;"')
    expect(page).toContain('<noscript>')
    expect(page).toContain('<button type="submit">Continue</button>')
  })

  it('decodes the form and refuses what is missing, repeated, too long or not base64', () => {
    const value = Buffer.from('<r/>').toString('base64')
    expect(decodePost({ SAMLResponse: value, RelayState: '/x' }, 'SAMLResponse')).toEqual({
      xml: '<r/>',
      relayState: '/x',
    })
    const codeOf = (form: Parameters<typeof decodePost>[0]) => {
      try {
        decodePost(form, 'SAMLResponse')
        return undefined
      } catch (error) {
        return (error as SsoError).code
      }
    }
    expect(codeOf({})).toBe('SAML_MESSAGE_MISSING')
    expect(codeOf({ SAMLResponse: [value, value] })).toBe('SAML_BINDING_INVALID')
    expect(codeOf({ SAMLResponse: 'not base64!' })).toBe('SAML_BINDING_INVALID')
    expect(codeOf({ SAMLResponse: value, RelayState: 'y'.repeat(81) })).toBe(
      'SAML_RELAY_STATE_TOO_LONG',
    )
    expect(codeOf({ SAMLResponse: 'A'.repeat(3_000_000) })).toBe('XML_TOO_LARGE')
  })
})
