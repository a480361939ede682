import { describe, expect, it } from 'vitest'
import type { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { idpUrl, spUrl } from '../../tests/fixtures/in-process.ts'
import { formToken } from '../../tests/fixtures/visitor.ts'
import { spSessionCookie } from '../session/sp-sessions.ts'
import {
  conversationIdOf,
  messagesOf,
  messengerPair,
  openMessenger,
  signInFromWindow,
  windowState,
} from './test-support.ts'

async function apiConversation(agent: UserAgent, id: string | undefined) {
  const page = await agent.request(`${spUrl}/agent/api/conversations/${id}`)
  expect(page.status).toBe(200)
  return JSON.parse(page.html) as {
    team: string
    contact: { verified: boolean; externalId: string | null; name: string }
  }
}

describe('sign-in option "none"', () => {
  it('without a survey, the window opens straight into a conversation; the first message starts it', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'none', survey: [] })
    const agent = newAgent()
    const opened = await openMessenger(agent)
    expect(windowState(opened)).toBe('conversation')
    expect(opened.document.querySelector('#visitor-identity')?.text).toBe('Guest')
    expect(opened.document.querySelector('#sign-in')).toBeNull()
    expect(opened.document.querySelector('#chat-window')?.hasAttribute('hidden')).toBe(false)

    const sent = await agent.submit(opened, '#message-form', { text: 'Where is my parcel?' })
    expect(sent.url).toBe(`${spUrl}/messenger?open=1`)
    expect(messagesOf(sent)).toEqual(['visitor text: Where is my parcel?'])
    const conversation = await apiConversation(agent, conversationIdOf(sent))
    expect(conversation.contact).toMatchObject({ verified: false, externalId: null })
  })

  it('with a survey, the survey comes first, then the conversation', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'none' })
    const agent = newAgent()
    const opened = await openMessenger(agent)
    expect(windowState(opened)).toBe('survey')
    expect(opened.document.querySelector('#chat-as-visitor')).toBeNull()
    const names = opened.document
      .querySelectorAll('#survey input:not([type=hidden])')
      .map((input) => input.getAttribute('name'))
    expect(names).toEqual(['name', 'email'])
    expect(
      opened.document.querySelector('#survey input[name=name]')?.hasAttribute('required'),
    ).toBe(true)

    const started = await agent.submit(opened, '#survey', { name: 'Nina', email: '' })
    expect(windowState(started)).toBe('conversation')
    const conversation = await apiConversation(agent, conversationIdOf(started))
    expect(conversation.contact).toMatchObject({ verified: false, externalId: null, name: 'Nina' })
  })

  it('a page without ?open=1 keeps the window closed until the launcher opens it', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'none', name: 'Acme Help' })
    const agent = newAgent()
    const page = await agent.navigate(`${spUrl}/messenger`)
    expect(page.document.querySelector('title')?.text).toContain('Acme Help')
    expect(page.document.querySelector('#chat-title')?.text).toBe('Acme Help')
    expect(page.document.querySelector('#chat-window')?.hasAttribute('hidden')).toBe(true)
    const launcher = page.document.querySelector('a#launcher')?.getAttribute('href')
    expect(launcher).toBe('?open=1')
    const opened = await agent.navigate(new URL(launcher as string, page.url).toString())
    expect(opened.document.querySelector('#chat-window')?.hasAttribute('hidden')).toBe(false)
  })
})

describe('sign-in option "optional"', () => {
  it('offers "Sign in" and "Chat as visitor"', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'optional' })
    const page = await openMessenger(newAgent())
    expect(windowState(page)).toBe('choose')
    expect(page.document.querySelector('a#sign-in')?.getAttribute('href')).toBe(
      '/login?return_url=%2Fmessenger%3Fopen%3D1',
    )
    expect(page.document.querySelector('a#sign-in')?.hasAttribute('target')).toBe(false)
    expect(page.document.querySelector('form#chat-as-visitor')?.getAttribute('action')).toBe(
      '/messenger/guest',
    )
  })

  it('a guest fills the survey; their conversation carries no account data', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'optional' })
    const agent = newAgent()
    const survey = await agent.submit(await openMessenger(agent), '#chat-as-visitor')
    expect(windowState(survey)).toBe('survey')
    const started = await agent.submit(survey, '#survey', {
      name: 'Zoe Guest',
      email: 'zoe@example.net',
    })
    expect(windowState(started)).toBe('conversation')
    expect(started.document.querySelector('#visitor-identity')?.text).toBe('Guest')
    expect(started.document.querySelector('#log-out')).toBeNull()
    const conversation = await apiConversation(agent, conversationIdOf(started))
    expect(conversation.contact).toMatchObject({
      verified: false,
      externalId: null,
      name: 'Zoe Guest',
    })
    const session = JSON.parse((await agent.request(`${spUrl}/api/session`)).html)
    expect(session).toEqual({ signedIn: false })
  })

  it('a signed-in visitor skips the survey and chats with their verified identity', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'optional' })
    const agent = newAgent()
    const back = await signInFromWindow(agent, await openMessenger(agent), 'alice')
    expect(back.url).toBe(`${spUrl}/messenger?open=1`)
    expect(windowState(back)).toBe('conversation')
    expect(back.document.querySelector('#survey')).toBeNull()
    const identity = back.document.querySelector('#visitor-identity')
    expect(identity?.text).toBe('Signed in as Alice Andersen')
    expect(identity?.getAttribute('data-external-id')).toBe('alice')

    const sent = await agent.submit(back, '#message-form', { text: 'Hi, it is Alice' })
    const conversation = await apiConversation(agent, conversationIdOf(sent))
    expect(conversation.contact).toMatchObject({
      verified: true,
      externalId: 'alice',
      name: 'Alice Andersen',
    })
  })

  it('refuses a survey without its required answer (SP_SURVEY_INVALID) and starts nothing', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'optional' })
    const agent = newAgent()
    const survey = await agent.submit(await openMessenger(agent), '#chat-as-visitor')
    const refused = await agent.submit(survey, '#survey', { name: '  ', email: 'z@example.net' })
    expect(refused.status).toBe(400)
    expect(windowState(refused)).toBe('survey')
    expect(refused.document.querySelector('#survey-error')?.getAttribute('data-error-code')).toBe(
      'SP_SURVEY_INVALID',
    )
    // What was typed stays in the form.
    expect(refused.document.querySelector('#survey input[name=email]')?.getAttribute('value')).toBe(
      'z@example.net',
    )
    const open = JSON.parse((await agent.request(`${spUrl}/agent/api/conversations`)).html)
    expect(open.conversations).toEqual([])
  })
})

describe('sign-in option "required"', () => {
  it('shows a visitor without sign-in a clear refusal and the sign-in link, nothing else', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'required' })
    const page = await openMessenger(newAgent())
    expect(windowState(page)).toBe('sign-in-required')
    expect(page.document.querySelector('#sign-in-required')?.text).toContain(
      'only for signed-in customers with an account',
    )
    expect(page.document.querySelector('#sign-in-required a#sign-in')).not.toBeNull()
    for (const absent of ['#chat-as-visitor', '#survey', '#message-form']) {
      expect(page.document.querySelector(absent)).toBeNull()
    }
  })

  it.each(['guest', 'survey', 'messages', 'end'])(
    'refuses POST /messenger/%s without sign-in (SP_SIGN_IN_REQUIRED)',
    async (action) => {
      const { agent: newAgent } = await messengerPair({ signIn: 'required' })
      const agent = newAgent()
      const refused = await agent.request(`${spUrl}/messenger/${action}`, {
        method: 'POST',
        form: { name: 'Mallory', text: 'let me in', form_token: await formToken(agent) },
        from: `${spUrl}/messenger`,
      })
      expect(refused.status).toBe(403)
      expect(refused.document.querySelector('#error-code')?.text).toBe('SP_SIGN_IN_REQUIRED')
    },
  )

  it('after sign-in the conversation starts with the identity', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'required' })
    const agent = newAgent()
    const back = await signInFromWindow(agent, await openMessenger(agent), 'bob')
    expect(windowState(back)).toBe('conversation')
    const sent = await agent.submit(back, '#message-form', { text: 'Bob here' })
    expect(messagesOf(sent)).toEqual(['visitor text: Bob here'])
    const conversation = await apiConversation(agent, conversationIdOf(sent))
    expect(conversation.contact).toMatchObject({ verified: true, externalId: 'bob' })
  })

  it('already signed in at the IdP: sign-in connects at once, no login form', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'required' })
    const agent = newAgent()
    await signInFromWindow(agent, await openMessenger(agent), 'alice')
    // Signed out at the SP only: the IdP session lives on in this browser.
    await agent.jar.setCookie(`${spSessionCookie}=; Max-Age=0; Path=/`, spUrl)
    const refused = await openMessenger(agent)
    expect(windowState(refused)).toBe('sign-in-required')

    const seen = agent.history.length
    const href = refused.document.querySelector('#sign-in')?.getAttribute('href') as string
    const back = await agent.navigate(`${spUrl}${href}`, { from: refused.url })
    expect(back.url).toBe(`${spUrl}/messenger?open=1`)
    expect(windowState(back)).toBe('conversation')
    expect(back.document.querySelector('#visitor-identity')?.text).toBe(
      'Signed in as Alice Andersen',
    )
    // Through the IdP and back: navigate() would have stopped at a login form.
    expect(agent.history.slice(seen).some((entry) => entry.url.startsWith(idpUrl))).toBe(true)
  })
})

describe.each(['jwt', 'oidc'] as const)('a %s campaign', (protocol) => {
  it('signs the visitor in from the window and routes the conversation on the mapped membership level', async () => {
    const { agent: newAgent } = await messengerPair(
      {
        signIn: 'required',
        routing: {
          rules: [{ team: 'VIP', field: 'variable:membershipLevel', in: ['gold', 'vip'] }],
          defaultTeam: 'General',
        },
      },
      { protocol },
    )
    const agent = newAgent()
    const back = await signInFromWindow(agent, await openMessenger(agent), 'carol', 'carol-secret')
    expect(back.url).toBe(`${spUrl}/messenger?open=1`)
    expect(back.document.querySelector('#visitor-identity')?.getAttribute('data-external-id')).toBe(
      'carol',
    )
    const sent = await agent.submit(back, '#message-form', { text: 'Hello from Carol' })
    const conversation = await apiConversation(agent, conversationIdOf(sent))
    expect(conversation).toMatchObject({
      team: 'VIP',
      contact: { verified: true, externalId: 'carol', name: 'Carol Chen' },
    })
  })
})
