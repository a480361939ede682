import { describe, expect, it } from 'vitest'
import { xmlLimits } from '../../core/xml/index.ts'
import { idpUrl, spUrl } from '../fixtures/in-process.ts'
import { contactCount, expectAccepted, pairWithFaults, sessionOf } from './faults-support.ts'

/** The query of the last request the browser made to the SP's SingleLogoutService. */
function lastSloQuery(history: readonly { url: string }[]): string {
  const entry = history.findLast((item) => item.url.startsWith(`${spUrl}/saml/slo?`))
  return entry ? new URL(entry.url).search : ''
}

describe('a deflate bomb on the HTTP-Redirect binding (catalogue 16): the SP caps inflation', () => {
  it('the LogoutResponse to an SP-initiated logout → SAML_INFLATE_TOO_LARGE, still signed out', async () => {
    const pair = await pairWithFaults([])
    const agent = pair.agent()
    await expectAccepted(pair, agent)
    pair.idp.faults.add({ kind: 'saml-deflate-bomb', remaining: 1 })
    const home = await agent.navigate(`${spUrl}/`)
    const page = await agent.submit(home, 'form[action="/logout"]')
    expect(page.document.querySelector('#error-code')?.text).toBe('SAML_INFLATE_TOO_LARGE')
    expect(page.status).toBe(413)
    // A few KiB on the wire for a message four times the cap once inflated.
    const query = lastSloQuery(agent.history)
    expect(query).toContain('SAMLResponse=')
    expect(query.length).toBeLessThan(xmlLimits.maxBytes / 64)
    expect(pair.log).toContainEqual(expect.stringMatching(/^IdP fault saml-deflate-bomb/))
    expect(await sessionOf(agent)).toEqual({ signedIn: false })
    expect(contactCount(pair)).toBe(1)
  })

  it('the IdP’s LogoutRequest → SAML_INFLATE_TOO_LARGE, and the SP session it could not read stays', async () => {
    const pair = await pairWithFaults([{ kind: 'saml-deflate-bomb' }])
    const agent = pair.agent()
    await expectAccepted(pair, agent)
    const page = await agent.submit(await agent.navigate(`${idpUrl}/logout`), '#logout-form')
    expect(page.document.querySelector('#error-code')?.text).toBe('SAML_INFLATE_TOO_LARGE')
    expect((await sessionOf(agent)).signedIn).toBe(true)
  })

  it('without the fault the same logout ends the SP session', async () => {
    const pair = await pairWithFaults([])
    const agent = pair.agent()
    await expectAccepted(pair, agent)
    const page = await agent.submit(await agent.navigate(`${idpUrl}/logout`), '#logout-form')
    expect(page.document.querySelector('#error-code')).toBeNull()
    expect(await sessionOf(agent)).toEqual({ signedIn: false })
  })
})
