import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { createContactStore } from '../accounts/contacts.ts'
import { openSpDatabase } from '../store/database.ts'
import { createConversationStore } from './conversations.ts'

function stores() {
  const db = openSpDatabase()
  const clock = createManualClock('2030-01-01T00:00:00Z')
  const contacts = createContactStore(db)
  const chats = createConversationStore(db, contacts, clock)
  const alice = contacts.signOn({
    key: { externalId: 'alice', issuer: 'https://idp.example.com' },
    profile: {
      name: 'Alice Andersen',
      email: 'alice@example.com',
      customFields: {},
      customVariables: { membershipLevel: 'gold' },
    },
    at: clock.now(),
  })
  return { db, clock, contacts, chats, alice }
}

describe('createConversationStore', () => {
  it('keeps one open conversation per campaign and visitor, with its messages in order', () => {
    const { chats, clock } = stores()
    const guest = chats.start({
      campaign: 'default',
      visitor: 'v1',
      survey: { name: 'Zoe' },
      team: 'General',
    })
    expect(guest).toMatchObject({
      campaign: 'default',
      contactId: undefined,
      survey: { name: 'Zoe' },
      status: 'open',
      startedAt: clock.now(),
    })
    expect(chats.findOpen('default', 'v1')?.id).toBe(guest.id)
    expect(chats.findOpen('vip', 'v1')).toBeUndefined()
    expect(chats.findOpen('default', 'v2')).toBeUndefined()

    chats.addMessage(guest.id, 'visitor', 'text', 'Hello')
    clock.advance('1m')
    chats.addMessage(guest.id, 'agent', 'text', 'Hi')
    expect(chats.messages(guest.id).map((message) => `${message.author}: ${message.body}`)).toEqual(
      ['visitor: Hello', 'agent: Hi'],
    )
    expect(chats.listOpen().map((conversation) => conversation.id)).toEqual([guest.id])
  })

  it('attaches a contact to a guest conversation: same id, a signed-in message, re-routed', () => {
    const { chats, alice } = stores()
    const guest = chats.start({ campaign: 'default', visitor: 'v1', team: 'General' })
    chats.attachContact(guest.id, alice, 'VIP')
    expect(chats.get(guest.id)).toMatchObject({ id: guest.id, contactId: alice.id, team: 'VIP' })
    expect(chats.messages(guest.id).map((message) => `${message.kind}: ${message.body}`)).toEqual([
      'signed-in: Signed in as Alice Andersen',
      'routed: Routed to team VIP',
    ])

    // Same team: no routing message.
    const other = chats.start({ campaign: 'default', visitor: 'v2', team: 'VIP' })
    chats.attachContact(other.id, alice, 'VIP')
    expect(chats.messages(other.id).map((message) => message.kind)).toEqual(['signed-in'])
  })

  it('ends a conversation into a transcript: external ID, contact snapshot, team, every message', () => {
    const { chats, clock, alice, contacts } = stores()
    const signedIn = chats.start({
      campaign: 'default',
      visitor: 'v1',
      contactId: alice.id,
      team: 'VIP',
    })
    chats.addMessage(signedIn.id, 'visitor', 'text', 'Question')
    clock.advance('5m')
    const transcript = chats.end(signedIn.id, 'The visitor ended the conversation.')
    expect(transcript).toMatchObject({
      conversationId: signedIn.id,
      campaign: 'default',
      externalId: 'alice',
      team: 'VIP',
      startedAt: signedIn.startedAt,
      endedAt: signedIn.startedAt + 300_000,
      contact: { verified: true, externalId: 'alice', name: 'Alice Andersen' },
    })
    expect(transcript.contact.fields).toContainEqual({
      field: 'variable:membershipLevel',
      value: 'gold',
    })
    expect(transcript.messages.map((message) => message.kind)).toEqual(['text', 'ended'])
    expect(chats.get(signedIn.id)).toMatchObject({ status: 'ended', endedAt: transcript.endedAt })
    expect(chats.findOpen('default', 'v1')).toBeUndefined()
    expect(chats.listOpen()).toEqual([])
    expect(() => chats.end(signedIn.id, 'again')).toThrow(/not open/)

    // The snapshot is the contact as it was: a later sign-on does not rewrite history.
    contacts.signOn({
      key: { externalId: 'alice', issuer: 'https://idp.example.com' },
      profile: { name: 'Alice Smith', customFields: {}, customVariables: {} },
      at: clock.now(),
    })
    expect(chats.transcripts('alice')[0]?.contact.name).toBe('Alice Andersen')
  })

  it('keeps a guest transcript without external ID; searches by exact external ID, newest first', () => {
    const { chats, clock, alice } = stores()
    const guest = chats.start({
      campaign: 'default',
      visitor: 'v1',
      survey: { name: 'Zoe' },
      team: 'General',
    })
    expect(chats.end(guest.id, 'ended')).toMatchObject({
      externalId: null,
      contact: { verified: false, externalId: null, name: 'Zoe' },
    })
    const first = chats.start({
      campaign: 'default',
      visitor: 'v2',
      contactId: alice.id,
      team: 'VIP',
    })
    chats.end(first.id, 'ended')
    clock.advance('1h')
    const second = chats.start({ campaign: 'vip', visitor: 'v2', contactId: alice.id, team: 'VIP' })
    chats.end(second.id, 'ended')
    expect(chats.transcripts('alice').map((transcript) => transcript.conversationId)).toEqual([
      second.id,
      first.id,
    ])
    expect(chats.transcripts('Alice')).toEqual([])
    expect(chats.transcripts('')).toEqual([])
  })
})
