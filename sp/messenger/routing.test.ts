import { describe, expect, it } from 'vitest'
import type { MappedProfile } from '../accounts/map-profile.ts'
import { campaignSettingsSchema } from '../campaigns/settings.ts'
import { surveyProfile } from './contact-card.ts'
import { routeTeam } from './routing.ts'

const { routing } = campaignSettingsSchema.parse({
  routing: {
    rules: [
      { team: 'VIP', field: 'variable:membershipLevel', equals: 'gold' },
      { team: 'VIP', field: 'variable:membershipLevel', in: ['vip', 'platinum'] },
      { team: 'Moderators', field: 'roles', in: ['moderator'] },
      { team: 'Orders', field: 'custom:orderNumber', exists: true },
      { team: 'Anonymous', field: 'email', exists: false },
    ],
    defaultTeam: 'General',
  },
})

const profile = (extra: Partial<MappedProfile>): MappedProfile => ({
  customFields: {},
  customVariables: {},
  email: 'someone@example.com',
  ...extra,
})

describe('routeTeam', () => {
  it.each([
    ['equals', profile({ customVariables: { membershipLevel: 'gold' } }), 'VIP'],
    ['in', profile({ customVariables: { membershipLevel: 'platinum' } }), 'VIP'],
    ['in, on one of several roles', profile({ roles: ['beta-tester', 'moderator'] }), 'Moderators'],
    ['exists', profile({ customFields: { orderNumber: 'A-17' } }), 'Orders'],
    ['exists: false', profile({ email: undefined }), 'Anonymous'],
    ['an empty value counts as absent', profile({ email: '' }), 'Anonymous'],
    [
      'no rule holds: the default team',
      profile({ customVariables: { membershipLevel: 'standard' } }),
      'General',
    ],
  ])('%s', (_, visitor, team) => {
    expect(routeTeam(routing, visitor)).toBe(team)
  })

  it('takes the first rule that holds', () => {
    const both = profile({ roles: ['moderator'], customVariables: { membershipLevel: 'gold' } })
    expect(routeTeam(routing, both)).toBe('VIP')
  })

  it('routes a guest on their survey answers: system fields by name, others as custom fields', () => {
    expect(routeTeam(routing, surveyProfile({ name: 'Zoe' }))).toBe('Anonymous')
    expect(
      routeTeam(routing, surveyProfile({ email: 'zoe@example.net', orderNumber: 'A-17' })),
    ).toBe('Orders')
    expect(surveyProfile({ name: 'Zoe', orderNumber: 'A-17' })).toEqual({
      name: 'Zoe',
      customFields: { orderNumber: 'A-17' },
      customVariables: {},
    })
  })
})
