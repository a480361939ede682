import { describe, expect, it } from 'vitest'
import { tokenKey } from '../../core/store/token-key.ts'
import type { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { idpUrl, spUrl } from '../../tests/fixtures/in-process.ts'
import { formToken } from '../../tests/fixtures/visitor.ts'
import { visitorCookie } from '../session/cookies.ts'
import {
  conversationIdOf,
  messagesOf,
  messengerPair,
  openMessenger,
  signInFromWindow,
  startAsGuest,
  windowState,
} from './test-support.ts'

async function session(agent: UserAgent) {
  return JSON.parse((await agent.request(`${spUrl}/api/session`)).html) as { signedIn: boolean }
}

async function transcripts(agent: UserAgent, externalId: string) {
  const page = await agent.request(`${spUrl}/agent/api/transcripts?external_id=${externalId}`)
  return JSON.parse(page.html).transcripts as Array<{ conversationId: number; messages: unknown[] }>
}

describe('the chat window', () => {
  it('logging out from the window ends the SP session and the conversation, and returns to the messenger', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'optional' })
    const agent = newAgent()
    const back = await signInFromWindow(agent, await openMessenger(agent), 'alice')
    const chatting = await agent.submit(back, '#message-form', { text: 'Bye soon' })
    const id = conversationIdOf(chatting)
    expect(
      chatting.document.querySelector('#log-out input[name=return_url]')?.getAttribute('value'),
    ).toBe('/messenger?open=1')

    const seen = agent.history.length
    const out = await agent.submit(chatting, '#log-out')
    // Single logout went through the IdP and came back to the window.
    expect(
      agent.history.slice(seen).some((entry) => entry.url.startsWith(`${idpUrl}/saml/slo`)),
    ).toBe(true)
    expect(out.url).toBe(`${spUrl}/messenger?open=1`)
    expect(windowState(out)).toBe('choose')
    expect(await session(agent)).toEqual({ signedIn: false })
    const ended = await transcripts(agent, 'alice')
    expect(ended.map((transcript) => String(transcript.conversationId))).toEqual([id])
    expect(ended[0]?.messages.at(-1)).toMatchObject({
      kind: 'ended',
      body: 'The visitor signed out.',
    })
  })

  it('popup sign-in: the link opens a new window whose last page leads back to the chat', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'required', loginWindow: 'popup' })
    const agent = newAgent()
    const window = await openMessenger(agent)
    const link = window.document.querySelector('a#sign-in')
    expect(link?.getAttribute('target')).toBe('_blank')
    expect(link?.getAttribute('data-popup')).toBe('1')
    expect(link?.getAttribute('href')).toBe('/login?return_url=%2Fmessenger%2Fpopup-done')

    const done = await signInFromWindow(agent, window, 'bob')
    expect(done.url).toBe(`${spUrl}/messenger/popup-done`)
    expect(done.html).toContain('window.opener.postMessage')
    const back = await agent.navigate(
      `${spUrl}${done.document.querySelector('a#back-to-chat')?.getAttribute('href')}`,
    )
    expect(windowState(back)).toBe('conversation')
    expect(back.document.querySelector('#visitor-identity')?.text).toBe('Signed in as Bob Brown')
  })

  it('a conversation that carries an identity is ended, not shown, once the session is gone', async () => {
    const { agent: newAgent, clock } = await messengerPair({ signIn: 'optional' })
    const agent = newAgent()
    const back = await signInFromWindow(agent, await openMessenger(agent), 'alice')
    await agent.submit(back, '#message-form', { text: 'My account number is C-1001' })
    clock.advance('49h')
    const later = await openMessenger(agent)
    expect(windowState(later)).toBe('choose')
    expect(later.html).not.toContain('C-1001')
    const ended = await transcripts(agent, 'alice')
    expect(ended[0]?.messages.at(-1)).toMatchObject({ body: 'The visitor is no longer signed in.' })
  })

  it('a poll sent before the sign-in answered does not end the conversation that just took the identity', async () => {
    // The window polls api/state every 2 s; a poll that left the browser before the ACS's
    // Set-Cookie carries the visitor cookie but no session, and may be handled after the sign-in
    // listener attached the identity. It must not end the conversation the visitor just verified.
    const { agent: newAgent } = await messengerPair({ signIn: 'optional' })
    const visitor = newAgent()
    const id = conversationIdOf(await startAsGuest(visitor))
    const console = newAgent()
    await console.submit(
      await console.navigate(`${spUrl}/agent/conversations/${id}`),
      '#send-sign-in-request',
    )
    const asked = await openMessenger(visitor)
    const before = (await visitor.jar.getCookies(spUrl)).find((c) => c.key === visitorCookie)
    const back = await signInFromWindow(visitor, asked, 'alice')
    expect(conversationIdOf(back)).toBe(id)

    const latePoll = newAgent()
    await latePoll.jar.setCookie(`${visitorCookie}=${before?.value}; Path=/`, spUrl)
    const answer = JSON.parse((await latePoll.request(`${spUrl}/messenger/api/state`)).html)
    // Whoever holds only the visitor cookie is not shown the identified conversation …
    expect(answer).toEqual({ state: 'choose', signedIn: false })
    // … and the conversation stays open for the visitor and the agent.
    const again = await openMessenger(visitor)
    expect(conversationIdOf(again)).toBe(id)
    expect(windowState(again)).toBe('conversation')
    const agentView = await console.navigate(`${spUrl}/agent/conversations/${id}`)
    expect(agentView.document.querySelector('#reply-text')).not.toBeNull()
    // A page load without the session is the visitor's own request: that one ends it.
    const elsewhere = await openMessenger(latePoll)
    expect(windowState(elsewhere)).toBe('choose')
    const ended = await transcripts(console, 'alice')
    expect(ended[0]?.messages.at(-1)).toMatchObject({ body: 'The visitor is no longer signed in.' })
  })

  it("polling the state API is not the visitor's activity: it does not keep the session alive", async () => {
    const { agent: newAgent, clock } = await messengerPair({ signIn: 'required' })
    const agent = newAgent()
    await signInFromWindow(agent, await openMessenger(agent), 'bob')
    clock.advance('47h')
    const state = JSON.parse((await agent.request(`${spUrl}/messenger/api/state`)).html)
    expect(state).toEqual({ state: 'conversation', signedIn: true })
    clock.advance('2h')
    expect(JSON.parse((await agent.request(`${spUrl}/messenger/api/state`)).html)).toEqual({
      state: 'sign-in-required',
      signedIn: false,
    })
  })

  it('gives a browser one random visitor cookie (httpOnly, SameSite=Lax) and keeps only its hash', async () => {
    const { agent: newAgent, sp } = await messengerPair({ signIn: 'optional' })
    const agent = newAgent()
    const first = await agent.request(`${spUrl}/messenger`)
    const header = first.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith(`${visitorCookie}=`))
    expect(header).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/)
    expect((await agent.request(`${spUrl}/messenger`)).headers.getSetCookie()).toEqual([])

    const id = conversationIdOf(await startAsGuest(agent))
    const token = (await agent.jar.getCookies(spUrl)).find((cookie) => cookie.key === visitorCookie)
    const row = sp.database.prepare('SELECT visitor FROM conversations WHERE id = ?').get(id) as {
      visitor: string
    }
    expect(row.visitor).toBe(tokenKey(token?.value ?? ''))
    expect(row.visitor).not.toBe(token?.value)
  })

  it('refuses an empty message (SP_MESSAGE_INVALID) and a message without a conversation (SP_CONVERSATION_NOT_FOUND)', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'optional' })
    const agent = newAgent()
    const choose = await openMessenger(agent)
    const form_token = await formToken(agent)
    const post = (path: string, form: Record<string, string>) =>
      agent.request(`${spUrl}/messenger/${path}`, {
        method: 'POST',
        form: { ...form, form_token },
        from: choose.url,
      })
    const orphan = await post('messages', { text: 'anyone?' })
    expect(orphan.status).toBe(404)
    expect(orphan.document.querySelector('#error-code')?.text).toBe('SP_CONVERSATION_NOT_FOUND')
    const noEnd = await post('end', {})
    expect(noEnd.status).toBe(404)

    await startAsGuest(agent)
    const empty = await post('messages', { text: '  ' })
    expect(empty.status).toBe(400)
    expect(empty.document.querySelector('#error-code')?.text).toBe('SP_MESSAGE_INVALID')
  })

  it('a second survey or "chat as visitor" does not start a second conversation', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'optional' })
    const agent = newAgent()
    const id = conversationIdOf(await startAsGuest(agent))
    for (const path of ['guest', 'survey']) {
      const again = await agent.navigate(`${spUrl}/messenger/${path}`, {
        method: 'POST',
        form: { name: 'Zoe again', form_token: await formToken(agent) },
        from: `${spUrl}/messenger`,
      })
      expect(conversationIdOf(again)).toBe(id)
    }
    expect(messagesOf(await openMessenger(agent))).toEqual([
      'visitor text: Hello, I have a question',
    ])
  })
})
