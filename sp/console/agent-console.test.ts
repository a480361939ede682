import { describe, expect, it } from 'vitest'
import type { Page, UserAgent } from '../../harness/http-driver/user-agent.ts'
import { createInProcessPair, spUrl } from '../../tests/fixtures/in-process.ts'
import { formToken } from '../../tests/fixtures/visitor.ts'
import { defaultMappings } from '../campaigns/settings.ts'
import {
  conversationIdOf,
  messagesOf,
  messengerPair,
  openMessenger,
  signInFromWindow,
  startAsGuest,
  windowState,
} from '../messenger/test-support.ts'

/** The contact card's rows, by data-field. */
function contactFields(page: Page): Record<string, string> {
  return Object.fromEntries(
    page.document
      .querySelectorAll('#contact tr[data-field]')
      .map((row) => [row.getAttribute('data-field'), row.querySelector('td')?.text ?? '']),
  )
}

async function signedInMessage(agent: UserAgent, username: string, text = 'Hello') {
  const back = await signInFromWindow(agent, await openMessenger(agent), username, 'carol-secret')
  return agent.submit(back, '#message-form', { text })
}

const openConversation = (agent: UserAgent, id: string | undefined) =>
  agent.navigate(`${spUrl}/agent/conversations/${id}`)

describe('agent console: who the agent talks to', () => {
  it('shows the mapped contact fields, the external ID next to the name and the verified badge', async () => {
    const { agent: newAgent } = await messengerPair({
      signIn: 'optional',
      mappings: [...defaultMappings, { attribute: 'company', field: 'custom:organisation' }],
    })
    const visitor = newAgent()
    const id = conversationIdOf(await signedInMessage(visitor, 'alice'))
    await startAsGuest(newAgent())

    const console = newAgent()
    const list = await console.navigate(`${spUrl}/agent`)
    const rows = list.document.querySelectorAll('.conversation')
    expect(rows).toHaveLength(2)
    const alice = list.document.querySelector(`.conversation[data-id="${id}"]`)
    expect(alice?.querySelector('.contact-name')?.text).toBe('Alice Andersen')
    expect(alice?.querySelector('.external-id')?.text).toBe('alice')
    expect(alice?.querySelector('.verified')).not.toBeNull()
    expect(alice?.querySelector('.team')?.text).toBe('General')
    expect(alice?.querySelector('.campaign')?.text).toBe('Support')
    const guest = rows.find((row) => row.getAttribute('data-id') !== id)
    expect(guest?.querySelector('.contact-name')?.text).toBe('Zoe Guest')
    expect(guest?.querySelector('.external-id')).toBeNull()
    expect(guest?.querySelector('.verified')).toBeNull()

    const page = await console.navigate(
      `${spUrl}${alice?.querySelector('a')?.getAttribute('href')}`,
    )
    expect(page.document.querySelector('#contact-name')?.text).toBe('Alice Andersen')
    expect(page.document.querySelector('#external-id')?.text).toBe('alice')
    expect(page.document.querySelector('#verified')).not.toBeNull()
    expect(page.document.querySelector('#send-sign-in-request')).toBeNull()
    expect(contactFields(page)).toEqual({
      name: 'Alice Andersen',
      email: 'alice@example.com',
      phone: '+1 555 0100',
      company: 'Example Corp',
      department: 'Purchasing',
      product: 'Enterprise plan',
      username: 'not sent',
      roles: 'not sent',
      'custom:organisation': 'Example Corp',
      'variable:customerNumber': 'C-1001',
      'variable:membershipLevel': 'gold',
    })
    expect(messagesOf(page)).toEqual(['visitor text: Hello'])
  })

  it("a guest's card holds only the survey answers: no external ID, no badge", async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'optional' })
    const id = conversationIdOf(await startAsGuest(newAgent()))
    const page = await openConversation(newAgent(), id)
    expect(page.document.querySelector('#contact-name')?.text).toBe('Zoe Guest')
    expect(page.document.querySelector('#external-id')).toBeNull()
    expect(page.document.querySelector('#verified')).toBeNull()
    expect(contactFields(page)).toMatchObject({ name: 'Zoe Guest', email: 'zoe@example.net' })
    expect(page.document.querySelector('#send-sign-in-request')).not.toBeNull()
  })

  it('escapes what visitors type', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'optional' })
    const id = conversationIdOf(
      await startAsGuest(
        newAgent(),
        { name: '<img src=x onerror=alert(1)>' },
        '<script>x()</script>',
      ),
    )
    const page = await openConversation(newAgent(), id)
    expect(page.html).not.toContain('<script>x()')
    expect(page.html).not.toContain('<img src=x')
    expect(messagesOf(page)).toEqual(['visitor text: <script>x()</script>'])
  })
})

describe('agent console: talking', () => {
  it("an agent's reply reaches the visitor's window and its state API", async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'optional' })
    const visitor = newAgent()
    const id = conversationIdOf(await startAsGuest(visitor))
    const console = newAgent()
    const replied = await console.submit(await openConversation(console, id), '#reply', {
      text: 'Hi Zoe, how can I help?',
    })
    expect(replied.url).toBe(`${spUrl}/agent/conversations/${id}`)

    const window = await openMessenger(visitor)
    expect(messagesOf(window)).toEqual([
      'visitor text: Hello, I have a question',
      'agent text: Hi Zoe, how can I help?',
    ])
    const state = JSON.parse((await visitor.request(`${spUrl}/messenger/api/state`)).html)
    expect(state.conversation.messages.at(-1)).toMatchObject({
      author: 'agent',
      kind: 'text',
      body: 'Hi Zoe, how can I help?',
    })
  })

  it('a sign-in request: the guest signs in and the same conversation carries the identity, re-routed', async () => {
    const { agent: newAgent } = await messengerPair({
      signIn: 'optional',
      routing: {
        rules: [{ team: 'VIP', field: 'variable:membershipLevel', equals: 'gold' }],
        defaultTeam: 'General',
      },
    })
    const visitor = newAgent()
    const id = conversationIdOf(await startAsGuest(visitor))
    const console = newAgent()
    const before = await openConversation(console, id)
    expect(before.document.querySelector('#team')?.text).toBe('General')
    await console.submit(before, '#send-sign-in-request')

    const asked = await openMessenger(visitor)
    expect(asked.document.querySelector('#sign-in-request a#sign-in')).not.toBeNull()
    expect(messagesOf(asked).at(-1)).toMatch(/^agent sign-in-request: /)
    const state = JSON.parse((await visitor.request(`${spUrl}/messenger/api/state`)).html)
    expect(state.conversation.signInRequested).toBe(true)

    const back = await signInFromWindow(visitor, asked, 'alice')
    expect(back.url).toBe(`${spUrl}/messenger?open=1`)
    expect(conversationIdOf(back)).toBe(id)
    expect(back.document.querySelector('#visitor-identity')?.getAttribute('data-external-id')).toBe(
      'alice',
    )
    expect(back.document.querySelector('#sign-in-request')).toBeNull()
    expect(messagesOf(back).slice(-2)).toEqual([
      'system signed-in: Signed in as Alice Andersen',
      'system routed: Routed to team VIP',
    ])

    const after = await openConversation(console, id)
    expect(after.document.querySelector('#external-id')?.text).toBe('alice')
    expect(after.document.querySelector('#verified')).not.toBeNull()
    expect(after.document.querySelector('#team')?.text).toBe('VIP')
    expect(after.document.querySelector('#send-sign-in-request')).toBeNull()
    expect(contactFields(after)).toMatchObject({ email: 'alice@example.com' })
  })

  it('routes on mapped fields: equals, in, exists, else the default team', async () => {
    const { agent: newAgent } = await messengerPair({
      signIn: 'required',
      routing: {
        rules: [
          { team: 'VIP', field: 'variable:membershipLevel', equals: 'gold' },
          { team: 'Moderators', field: 'roles', in: ['moderator', 'admin'] },
          { team: 'Business', field: 'company', exists: true },
        ],
        defaultTeam: 'General',
      },
    })
    const teams: Record<string, string | undefined> = {}
    for (const username of ['alice', 'carol', 'bob', 'dave']) {
      const id = conversationIdOf(await signedInMessage(newAgent(), username))
      teams[username] = (await openConversation(newAgent(), id)).document.querySelector(
        '#team',
      )?.text
    }
    expect(teams).toEqual({ alice: 'VIP', carol: 'Moderators', bob: 'Business', dave: 'General' })
  })
})

describe('agent console: transcripts and history', () => {
  it("ending writes the transcript with the external ID; history finds all of a customer's conversations and no one else's", async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'optional' })
    const alice = newAgent()
    const first = conversationIdOf(await signedInMessage(alice, 'alice', 'First question'))
    const ended = await alice.submit(await openMessenger(alice), '#end-conversation')
    expect(ended.url).toBe(`${spUrl}/messenger?open=1&ended=1`)
    expect(ended.document.querySelector('#conversation-ended')).not.toBeNull()
    const second = conversationIdOf(
      await alice.submit(ended, '#message-form', { text: 'Second question' }),
    )
    expect(second).not.toBe(first)
    const console = newAgent()
    await console.submit(await openConversation(console, second), '#end-conversation')
    const bob = newAgent()
    const bobs = conversationIdOf(await signedInMessage(bob, 'bob'))
    await bob.submit(await openMessenger(bob), '#end-conversation')
    await startAsGuest(newAgent())

    const search = await console.navigate(`${spUrl}/agent/history`)
    const found = await console.submit(search, '#history-search', { external_id: 'alice' })
    const transcripts = found.document.querySelectorAll('.transcript')
    expect(transcripts.map((row) => row.getAttribute('data-conversation-id'))).toEqual([
      second,
      first,
    ])
    for (const row of transcripts) {
      expect(row.querySelector('.external-id')?.text).toBe('alice')
      expect(row.querySelector('.team')?.text).toBe('General')
      expect(row.querySelector('time.ended-at')?.getAttribute('datetime')).toBe(
        '2030-01-01T12:00:00.000Z',
      )
    }
    expect(messagesOf(found, `.transcript[data-conversation-id="${first}"]`)).toEqual([
      'visitor text: First question',
      'system ended: The visitor ended the conversation.',
    ])
    expect(messagesOf(found, `.transcript[data-conversation-id="${second}"]`)).toEqual([
      'visitor text: Second question',
      'system ended: The agent ended the conversation.',
    ])

    const api = async (query: string) =>
      JSON.parse((await console.request(`${spUrl}/agent/api/transcripts?${query}`)).html)
    expect(
      (await api('external_id=bob')).transcripts.map((t: { conversationId: number }) =>
        String(t.conversationId),
      ),
    ).toEqual([bobs])
    expect((await api('external_id=ALICE')).transcripts).toEqual([])
    expect((await api('external_id=ali')).transcripts).toEqual([])
    // The ended conversations left the open list; the guest's is still there.
    const open = JSON.parse((await console.request(`${spUrl}/agent/api/conversations`)).html)
    expect(open.conversations).toHaveLength(1)
    expect(open.conversations[0].contact).toMatchObject({ verified: false, externalId: null })
  })

  it('an ended conversation stays readable, with no actions', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'optional' })
    const visitor = newAgent()
    const id = conversationIdOf(await startAsGuest(visitor))
    await visitor.submit(await openMessenger(visitor), '#end-conversation')
    const page = await openConversation(newAgent(), id)
    expect(page.status).toBe(200)
    expect(page.document.querySelector('#status')?.getAttribute('data-status')).toBe('ended')
    for (const form of ['#reply', '#send-sign-in-request', '#end-conversation']) {
      expect(page.document.querySelector(form)).toBeNull()
    }
    const agent = newAgent()
    const refused = await agent.request(`${spUrl}/agent/conversations/${id}/reply`, {
      method: 'POST',
      form: { text: 'too late', form_token: await formToken(agent) },
    })
    expect(refused.status).toBe(404)
    expect(refused.document.querySelector('#error-code')?.text).toBe('SP_CONVERSATION_NOT_FOUND')
  })
})

describe('agent console: bad input', () => {
  it.each(['abc', '0', '99999', '1e3', '-1', '9'.repeat(40)])(
    'id %s is SP_CONVERSATION_NOT_FOUND as a page and as JSON, never 5xx',
    async (id) => {
      const { agent: newAgent } = await messengerPair()
      const agent = newAgent()
      const page = await agent.request(`${spUrl}/agent/conversations/${id}`)
      expect(page.status).toBe(404)
      expect(page.document.querySelector('#error-code')?.text).toBe('SP_CONVERSATION_NOT_FOUND')
      const action = await agent.request(`${spUrl}/agent/conversations/${id}/end`, {
        method: 'POST',
        form: { form_token: await formToken(agent) },
      })
      expect(action.status).toBe(404)
      const json = await agent.request(`${spUrl}/agent/api/conversations/${id}`)
      expect(json.status).toBe(404)
      expect(JSON.parse(json.html).error.code).toBe('SP_CONVERSATION_NOT_FOUND')
    },
  )

  it('refuses an empty or too long reply (SP_MESSAGE_INVALID)', async () => {
    const { agent: newAgent } = await messengerPair({ signIn: 'optional' })
    const id = conversationIdOf(await startAsGuest(newAgent()))
    for (const text of ['   ', 'x'.repeat(4001)]) {
      const agent = newAgent()
      const refused = await agent.request(`${spUrl}/agent/conversations/${id}/reply`, {
        method: 'POST',
        form: { text, form_token: await formToken(agent) },
      })
      expect(refused.status).toBe(400)
      expect(refused.document.querySelector('#error-code')?.text).toBe('SP_MESSAGE_INVALID')
    }
  })
})

describe('agent console over several campaigns', () => {
  it('lists the conversations of the campaigns under /c/<id> with their names', async () => {
    const { agent: newAgent } = await createInProcessPair({
      sp: {
        // Without silent SSO, which would sign alice in at the root campaign too (silent-sso.yaml).
        campaign: { name: 'Support', signIn: 'optional', silentSignIn: false },
        campaigns: [{ id: 'vip', name: 'VIP lounge', signIn: 'required' }],
      },
    })
    const visitor = newAgent()
    const window = await openMessenger(visitor, '/c/vip')
    expect(windowState(window)).toBe('sign-in-required')
    expect(window.document.querySelector('#sign-in')?.getAttribute('href')).toBe(
      '/c/vip/login?return_url=%2Fc%2Fvip%2Fmessenger%3Fopen%3D1',
    )
    const back = await signInFromWindow(visitor, window, 'alice')
    expect(back.url).toBe(`${spUrl}/c/vip/messenger?open=1`)
    const sent = await visitor.submit(back, '#message-form', { text: 'VIP question' })
    expect(sent.url).toBe(`${spUrl}/c/vip/messenger?open=1`)
    await startAsGuest(newAgent())
    // The root campaign does not see the VIP lounge's conversation, nor its sign-in.
    expect(windowState(await openMessenger(visitor))).toBe('choose')

    const list = await newAgent().navigate(`${spUrl}/agent`)
    const campaigns = list.document
      .querySelectorAll('.conversation .campaign')
      .map((campaign) => `${campaign.getAttribute('data-campaign')}: ${campaign.text}`)
    expect(campaigns).toEqual(['vip: VIP lounge', 'default: Support'])
  })
})
