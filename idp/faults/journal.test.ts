import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { createInProcessPair, spUrl } from '../../tests/fixtures/in-process.ts'
import { createJournal } from './journal.ts'

describe('createJournal', () => {
  it('keeps the newest entries up to its capacity, oldest first, each with seq and time', () => {
    const clock = createManualClock('2030-01-01T12:00:00Z')
    const journal = createJournal(clock, 3)
    for (const returnUrl of ['a', 'b', 'c', 'd']) {
      journal.record('sp-1', { message: 'JwtLogin', returnUrl })
      clock.advance('1s')
    }
    journal.record('sp-2', { message: 'JwtTokenRequest', origin: null })
    expect(journal.list().map((entry) => entry.seq)).toEqual([3, 4, 5])
    expect(journal.list({ sp: 'sp-1' })).toEqual([
      { seq: 3, at: '2030-01-01T12:00:02Z', sp: 'sp-1', message: 'JwtLogin', returnUrl: 'c' },
      { seq: 4, at: '2030-01-01T12:00:03Z', sp: 'sp-1', message: 'JwtLogin', returnUrl: 'd' },
    ])
    expect(journal.list({ message: 'JwtTokenRequest' })).toHaveLength(1)
    journal.clear()
    expect(journal.list()).toEqual([])
  })

  it('stays oldest first however often it wraps, and after it is cleared', () => {
    const journal = createJournal(createManualClock('2030-01-01T12:00:00Z'), 3)
    const returnUrls = (list: ReturnType<typeof journal.list>) =>
      list.map((entry) => (entry.message === 'JwtLogin' ? entry.returnUrl : entry.message))
    for (const returnUrl of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) {
      journal.record('sp-1', { message: 'JwtLogin', returnUrl })
    }
    expect(returnUrls(journal.list())).toEqual(['f', 'g', 'h'])
    expect(journal.list().map((entry) => entry.seq)).toEqual([6, 7, 8])
    journal.record('sp-2', { message: 'JwtTokenRequest', origin: null })
    expect(returnUrls(journal.list())).toEqual(['g', 'h', 'JwtTokenRequest'])
    expect(returnUrls(journal.list({ sp: 'sp-1' }))).toEqual(['g', 'h'])
    journal.clear()
    journal.record('sp-1', { message: 'JwtLogin', returnUrl: 'i' })
    journal.record('sp-1', { message: 'JwtLogin', returnUrl: 'j' })
    expect(returnUrls(journal.list())).toEqual(['i', 'j'])
    // The seq goes on counting: an entry listed before the clear is never confused with a new one.
    expect(journal.list().map((entry) => entry.seq)).toEqual([10, 11])
    expect(createJournal(createManualClock('2030-01-01T12:00:00Z'), 0).list()).toEqual([])
  })
})

describe('the IdP journals what SPs send', () => {
  it('a JWT hand-over token request with its Origin, and a refused authorization request with its error', async () => {
    const jwt = await createInProcessPair({ protocol: 'jwt' })
    await jwt.idp.app.request(`/jwt/token?sp=${encodeURIComponent(spUrl)}`, {
      method: 'POST',
      headers: { origin: spUrl },
    })
    expect(jwt.idp.journal.list({ sp: spUrl })).toMatchObject([
      { message: 'JwtTokenRequest', origin: spUrl },
    ])

    const oidc = await createInProcessPair({ protocol: 'oidc' })
    const query = new URLSearchParams({
      client_id: spUrl,
      redirect_uri: `${spUrl}/oidc/callback`,
      response_type: 'code',
      scope: 'openid',
      state: 's',
      response_mode: 'fragment',
    })
    const answer = await oidc.idp.app.request(`/oidc/authorize?${query}`)
    expect(answer.status).toBe(302)
    expect(oidc.idp.journal.list({ sp: spUrl })).toMatchObject([
      { message: 'OidcAuthorize', redirectUri: `${spUrl}/oidc/callback`, error: 'invalid_request' },
    ])
  })
})
