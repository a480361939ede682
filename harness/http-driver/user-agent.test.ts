import { parse } from 'node-html-parser'
import { describe, expect, it } from 'vitest'
import { selfSubmittingForm, UserAgent } from './user-agent.ts'

const page = (onload: string) =>
  parse(
    `<html><body onload="${onload}"><form method="post" action="/next"><input name="x" value="1"/></form></body></html>`,
  )

describe('self-submitting forms', () => {
  it('submits a form whose page submits or clicks it on load (SAML POST binding pages)', () => {
    expect(selfSubmittingForm(page('document.forms[0].submit()'))?.getAttribute('action')).toBe(
      '/next',
    )
    expect(
      selfSubmittingForm(page("document.getElementsByTagName('input')[0].click();")),
    ).not.toBeNull()
  })

  it('leaves a login form whose onload only focuses a field (SimpleSAMLphp) to the person', async () => {
    expect(selfSubmittingForm(page("SimpleSAML_focus('username');"))).toBeNull()
    let posts = 0
    const agent = new UserAgent({
      fallback: (request) => {
        if (request.method === 'POST') posts++
        return new Response(
          `<html><body onload="SimpleSAML_focus('username');"><form method="post" action="/login"><input name="username"/></form></body></html>`,
          { headers: { 'content-type': 'text/html' } },
        )
      },
    })
    const login = await agent.navigate('http://127.0.0.1:24590/login')
    expect(login.document.querySelector('input[name="username"]')).not.toBeNull()
    expect(posts).toBe(0)
  })
})
