import { describe, expect, it } from 'vitest'
import { createInProcessPair, spUrl } from '../../tests/fixtures/in-process.ts'
import { apiSession, errorCode, protocols, signIn } from '../../tests/fixtures/visitor.ts'

// inSided: after sign-in the visitor returns to where they started (return_url), and only
// same-origin paths are honoured. sp/login/return-path.test.ts covers the parser; these go
// through GET /login in every protocol.
const refused = [
  '//evil.example',
  '/\\evil.example',
  'https://evil.example/',
  'javascript:alert(1)',
]

describe.each(protocols)('GET /login?return_url=… over %s', (protocol) => {
  it.each(refused)(
    'refuses %j (SP_RETURN_URL_REJECTED): no redirect, no cookie, no sign-in',
    async (returnUrl) => {
      const { sp, agent: newAgent } = await createInProcessPair({ protocol })
      const response = await sp.app.request(`/login?return_url=${encodeURIComponent(returnUrl)}`)
      expect(response.status).toBe(400)
      expect(response.headers.get('location')).toBeNull()
      expect(response.headers.getSetCookie()).toEqual([])
      const agent = newAgent()
      const page = await agent.navigate(
        `${spUrl}/login?return_url=${encodeURIComponent(returnUrl)}`,
      )
      expect(errorCode(page)).toBe('SP_RETURN_URL_REJECTED')
      expect(page.html).not.toContain('href="//evil.example')
      expect(await apiSession(agent)).toEqual({ signedIn: false })
    },
  )

  it('brings the visitor back to the same-origin path they started from, query kept', async () => {
    const { agent: newAgent } = await createInProcessPair({ protocol })
    const agent = newAgent()
    await signIn(agent, 'alice', { returnUrl: '/topics/new?forum=7&draft=1' })
    expect(agent.history.at(-1)?.url).toBe(`${spUrl}/topics/new?forum=7&draft=1`)
    expect((await apiSession(agent)).signedIn).toBe(true)
  })
})
