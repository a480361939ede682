import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import type { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { createInProcessPair, spUrl } from '../../tests/fixtures/in-process.ts'
import { openSpDatabase } from '../store/database.ts'
import { createStoredExpiringMap } from '../store/stored-expiring-map.ts'
import { createSpSessionStore, type SignedInSubject, spSessionCookie } from './sp-sessions.ts'

const subject: SignedInSubject = {
  nameId: 'alice',
  nameIdFormat: undefined,
  issuer: 'https://idp.example.com',
  sessionIndex: '_s1',
  attributes: {},
}

async function signIn(agent: UserAgent) {
  const login = await agent.navigate(`${spUrl}/login`)
  const home = await agent.submit(
    login,
    '#login-form',
    { username: 'alice' },
    { name: 'action', value: 'login' },
  )
  expect(home.url).toBe(`${spUrl}/`)
  expect(home.document.querySelector('#user-name')?.text).toBe('Alice Andersen')
}

async function apiSession(agent: UserAgent) {
  const page = await agent.request(`${spUrl}/api/session`)
  expect(page.status).toBe(200)
  return JSON.parse(page.html) as { signedIn: boolean; subject?: { nameId: string } }
}

describe('SP session inactivity, through the app', () => {
  it('survives 47h59m idle, each request counting as activity, and ends after 48h idle', async () => {
    const { agent: newAgent, clock } = await createInProcessPair()
    const agent = newAgent()
    await signIn(agent)

    clock.advance('47h59m')
    expect(await apiSession(agent)).toMatchObject({ signedIn: true, subject: { nameId: 'alice' } })

    // 95h58m after sign-in, but only 47h59m after the last request: still signed in.
    clock.advance('47h59m')
    expect((await apiSession(agent)).signedIn).toBe(true)

    clock.advance('48h')
    expect(await apiSession(agent)).toEqual({ signedIn: false })
    const home = await agent.navigate(`${spUrl}/`)
    expect(home.document.querySelector('#status')?.text).toContain('not signed in')

    // Ended means forgotten: turning the clock back does not revive it.
    clock.advance(-60_000)
    expect((await apiSession(agent)).signedIn).toBe(false)
  })

  it('ends exactly at 48h of inactivity, not a millisecond later', async () => {
    const early = await createInProcessPair()
    const stillIn = early.agent()
    await signIn(stillIn)
    early.clock.advance(48 * 3_600_000 - 1)
    expect((await apiSession(stillIn)).signedIn).toBe(true)

    const late = await createInProcessPair()
    const out = late.agent()
    await signIn(out)
    late.clock.advance('48h')
    expect((await apiSession(out)).signedIn).toBe(false)
  })

  it('counts a visit to the home page as activity', async () => {
    const { agent: newAgent, clock } = await createInProcessPair()
    const agent = newAgent()
    await signIn(agent)
    clock.advance('47h')
    expect((await agent.navigate(`${spUrl}/`)).document.querySelector('#user-name')).not.toBeNull()
    clock.advance('47h')
    expect((await apiSession(agent)).signedIn).toBe(true)
  })

  it('ends the session on logout; the old cookie no longer works', async () => {
    const { agent: newAgent, sp } = await createInProcessPair()
    const agent = newAgent()
    await signIn(agent)
    const cookies = await agent.jar.getCookies(`${spUrl}/`)
    const token = cookies.find((cookie) => cookie.key === spSessionCookie)?.value
    expect(token).toBeDefined()

    // The session ends before the single logout goes on to the IdP.
    const home = await agent.navigate(`${spUrl}/`)
    const logout = await agent.submitOnce(home, 'form[action="/logout"]')
    expect(logout.status).toBe(302)
    expect(logout.headers.get('location')).toMatch(
      /^http:\/\/127\.0\.0\.1:7000\/saml\/slo\?SAMLRequest=/,
    )
    expect((await apiSession(agent)).signedIn).toBe(false)

    const replayed = await sp.app.request('/api/session', {
      headers: { cookie: `${spSessionCookie}=${token}` },
    })
    expect(await replayed.json()).toEqual({ signedIn: false })
  })
})

describe('createSpSessionStore', () => {
  it('slides the inactivity window on touch and forgets expired or deleted sessions', () => {
    const clock = createManualClock('2030-01-01T00:00:00Z')
    const store = createSpSessionStore(
      createStoredExpiringMap(openSpDatabase(), 'sessions', clock),
      clock,
      createSeededRandom('sp-sessions'),
      60_000,
    )
    expect(store.touch(undefined)).toBeUndefined()
    expect(store.touch('unknown')).toBeUndefined()

    const token = store.create(subject)
    clock.advance(59_999)
    expect(store.touch(token)?.subject.nameId).toBe('alice')
    clock.advance(59_999)
    expect(store.touch(token)).toMatchObject({ createdAt: Date.parse('2030-01-01T00:00:00Z') })
    clock.advance(60_000)
    expect(store.touch(token)).toBeUndefined()

    const other = store.create(subject)
    expect(other).not.toBe(token)
    store.delete(other)
    expect(store.touch(other)).toBeUndefined()
  })
})

describe('createSpSessionStore: activity to the second', () => {
  function setup() {
    const clock = createManualClock('2030-01-01T00:00:00Z')
    const db = openSpDatabase()
    const store = createSpSessionStore(
      createStoredExpiringMap(db, 'sessions', clock),
      clock,
      createSeededRandom('sp-sessions-second'),
      60_000,
    )
    const stored = db.prepare<[], { expires_at: number; value: string }>(
      'SELECT expires_at, value FROM expiring',
    )
    const end = () => stored.get()?.expires_at
    return { clock, db, store, stored, end, start: clock.now() }
  }

  it('leaves the end and the stored session as they are when a view comes within a second of the last write', () => {
    const { clock, db, store, stored, end, start } = setup()
    const token = store.create(subject)
    const written = stored.get()
    const changes = () => db.prepare('SELECT total_changes() AS n').get() as { n: number }
    const before = changes().n
    clock.advance(999)
    expect(store.touch(token)?.lastSeenAt).toBe(start)
    expect(changes().n).toBe(before)
    expect(stored.get()).toEqual(written)
    expect(end()).toBe(start + 60_000)
    // Ends 60 s after the last write, 999 ms before 60 s after the last view: early, never late.
    clock.advance(60_000 - 999 - 1)
    expect(store.peek(token)).toBeDefined()
    clock.advance(1)
    expect(store.peek(token)).toBeUndefined()
  })

  it('moves the end to a full inactivity period after a view a second or more after the last write', () => {
    const { clock, store, end, start } = setup()
    const token = store.create(subject)
    clock.advance(1_000)
    expect(store.touch(token)?.lastSeenAt).toBe(start + 1_000)
    expect(end()).toBe(start + 61_000)
    clock.advance(999)
    store.touch(token)
    expect(end()).toBe(start + 61_000)
    clock.advance(1)
    store.touch(token)
    expect(end()).toBe(start + 62_000)
    clock.advance(60_000 - 1)
    expect(store.peek(token)).toBeDefined()
    clock.advance(1)
    expect(store.touch(token)).toBeUndefined()
  })

  it('writes the end a view gives when the clock went back (virtual time turned back)', () => {
    const { clock, store, end, start } = setup()
    const token = store.create(subject)
    clock.advance(-500)
    expect(store.touch(token)?.lastSeenAt).toBe(start - 500)
    expect(end()).toBe(start + 59_500)
  })
})

describe('createSpSessionStore: endBySubject (single logout)', () => {
  it('ends the sessions of this IdP, NameID and Format, and only those with a named SessionIndex', () => {
    const clock = createManualClock('2030-01-01T00:00:00Z')
    const store = createSpSessionStore(
      createStoredExpiringMap(openSpDatabase(), 'sessions', clock),
      clock,
      createSeededRandom('sp-sessions-slo'),
      60_000,
    )
    const first = store.create(subject)
    const second = store.create({ ...subject, sessionIndex: '_s2' })
    const bob = store.create({ ...subject, nameId: 'bob' })
    const elsewhere = store.create({ ...subject, issuer: 'https://other-idp.example.com' })
    const match = { issuer: subject.issuer, nameId: 'alice', nameIdFormat: undefined }

    expect(
      store.endBySubject({
        ...match,
        nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
        sessionIndexes: [],
      }),
    ).toBe(0)
    expect(store.endBySubject({ ...match, sessionIndexes: ['_unknown'] })).toBe(0)
    expect(store.endBySubject({ ...match, sessionIndexes: ['_s2'] })).toBe(1)
    expect(store.touch(second)).toBeUndefined()
    expect(store.touch(first)).toBeDefined()

    // Without SessionIndex every session of the subject ends (saml-core §3.7.3.2).
    const third = store.create(subject)
    expect(
      store.endBySubject({
        ...match,
        nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
        sessionIndexes: [],
      }),
    ).toBe(2)
    expect([first, third].map((token) => store.touch(token))).toEqual([undefined, undefined])
    expect(store.touch(bob)?.subject.nameId).toBe('bob')
    expect(store.touch(elsewhere)).toBeDefined()

    clock.advance('1m')
    expect(store.endBySubject({ ...match, nameId: 'bob', sessionIndexes: [] })).toBe(0)
  })
})
