import { describe, expect, it } from 'vitest'
import type { Contact } from '../accounts/contacts.ts'
import { type CampaignSettingsInput, campaignSettingsSchema } from '../campaigns/settings.ts'
import { chatState } from './chat-state.ts'
import type { Conversation } from './conversations.ts'

const contact = { id: 1, externalId: 'alice' } as Contact
const conversation = { id: 1, status: 'open' } as Conversation
const campaign = (input: CampaignSettingsInput) => campaignSettingsSchema.parse(input)
const noSurvey = { survey: [] }

describe('chatState', () => {
  it.each([
    ['none, with a survey', { signIn: 'none' }, {}, false, 'survey'],
    ['none, without a survey', { signIn: 'none', ...noSurvey }, {}, false, 'conversation'],
    ['optional, not yet chosen', { signIn: 'optional' }, {}, false, 'choose'],
    ['optional, guest chosen, with a survey', { signIn: 'optional' }, {}, true, 'survey'],
    [
      'optional, guest chosen, without a survey',
      { signIn: 'optional', ...noSurvey },
      {},
      true,
      'choose',
    ],
    ['optional, signed in: no survey', { signIn: 'optional' }, { contact }, false, 'conversation'],
    ['required, not signed in', { signIn: 'required' }, {}, true, 'sign-in-required'],
    ['required, signed in', { signIn: 'required' }, { contact }, false, 'conversation'],
    [
      'an open conversation is shown',
      { signIn: 'optional' },
      { conversation },
      false,
      'conversation',
    ],
  ] as const)('%s', (_, settings, visitor, guestChosen, state) => {
    expect(
      chatState(
        campaign(settings),
        { contact: undefined, conversation: undefined, ...visitor },
        guestChosen,
      ),
    ).toBe(state)
  })
})
