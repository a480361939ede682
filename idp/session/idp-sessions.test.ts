import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import { nameIdFormats } from '../../core/saml/constants.ts'
import { openIdpDatabase } from '../store/database.ts'
import { createIdpSessionStore } from './idp-sessions.ts'

function setup() {
  const clock = createManualClock('2030-01-01T00:00:00Z')
  const store = createIdpSessionStore(
    openIdpDatabase(),
    clock,
    createSeededRandom('idp-sessions'),
    60_000,
  )
  return { clock, store }
}

const participant = (spEntityId: string, nameId: string, sessionIndex: string) => ({
  spEntityId,
  nameId,
  nameIdFormat: nameIdFormats.unspecified,
  sessionIndex,
})

describe('createIdpSessionStore: session participants for single logout', () => {
  it('records each SP once, the latest NameID winning, and finds sessions by them', () => {
    const { store } = setup()
    const { token, session } = store.create('alice')
    const other = store.create('bob').session
    store.addParticipant(
      session.sessionIndex,
      participant('https://sp1', 'alice', session.sessionIndex),
    )
    store.addParticipant(
      session.sessionIndex,
      participant('https://sp2', 'a@x', session.sessionIndex),
    )
    store.addParticipant(
      session.sessionIndex,
      participant('https://sp1', 'alice-2', session.sessionIndex),
    )
    store.addParticipant(other.sessionIndex, participant('https://sp1', 'bob', other.sessionIndex))

    expect(store.get(token)?.participants.map((p) => [p.spEntityId, p.nameId])).toEqual([
      ['https://sp2', 'a@x'],
      ['https://sp1', 'alice-2'],
    ])
    const current = store.get(token)
    expect(current?.sessionIndex).toBe(session.sessionIndex)
    expect(store.findBySessionIndex(session.sessionIndex)).toEqual(current)
    expect(store.findByParticipant('https://sp1', 'alice-2')).toEqual([current])
    expect(store.findByParticipant('https://sp1', 'alice')).toEqual([])
    expect(store.findByParticipant('https://sp2', 'bob')).toEqual([])
    expect(store.forUser('bob').map((live) => live.sessionIndex)).toEqual([other.sessionIndex])
  })

  it('ends a session by SessionIndex, so its cookie no longer signs in', () => {
    const { store } = setup()
    const { token, session } = store.create('alice')
    store.end(session.sessionIndex)
    expect(store.get(token)).toBeUndefined()
    expect(store.findBySessionIndex(session.sessionIndex)).toBeUndefined()
    expect(store.forUser('alice')).toEqual([])
    store.addParticipant(session.sessionIndex, participant('https://sp1', 'alice', 'x'))
    expect(store.findByParticipant('https://sp1', 'alice')).toEqual([])
  })

  it('forgets expired sessions in every lookup', () => {
    const { clock, store } = setup()
    const { session } = store.create('alice')
    store.addParticipant(
      session.sessionIndex,
      participant('https://sp1', 'alice', session.sessionIndex),
    )
    clock.advance('1m')
    expect(store.findBySessionIndex(session.sessionIndex)).toBeUndefined()
    expect(store.findByParticipant('https://sp1', 'alice')).toEqual([])
    expect(store.forUser('alice')).toEqual([])
    const later = store.create('alice').session
    expect(store.forUser('alice')).toEqual([later])
  })
})
