import { describe, expect, it } from 'vitest'
import { SsoError } from '../../core/errors/index.ts'
import { campaignSettingsSchema } from '../campaigns/settings.ts'
import { readMessageText, readSurvey } from './read-form.ts'

const { survey } = campaignSettingsSchema.parse({
  survey: [
    { name: 'name', label: 'Your name', required: true },
    { name: 'email', label: 'Email', type: 'email' },
    { name: 'orderNumber', label: 'Order number' },
  ],
})

function codeOf(run: () => unknown): { code: string; evidence: unknown } | undefined {
  try {
    run()
  } catch (error) {
    if (error instanceof SsoError) return { code: error.code, evidence: error.evidence }
    throw error
  }
  return undefined
}

describe('readSurvey', () => {
  it('keeps the trimmed answers of the survey fields only, leaving out empty optional ones', () => {
    expect(
      readSurvey(survey, { name: ' Zoe ', email: '', orderNumber: 'A-17', isAdmin: 'yes' }),
    ).toEqual({ name: 'Zoe', orderNumber: 'A-17' })
  })

  it.each([
    ['a required field missing', {}, 'name'],
    ['a required field blank', { name: '   ' }, 'name'],
    ['an email that is not one', { name: 'Zoe', email: 'zoe' }, 'email'],
    ['an answer over 500 characters', { name: 'Zoe', orderNumber: 'x'.repeat(501) }, 'orderNumber'],
  ])('refuses %s (SP_SURVEY_INVALID, naming the field)', (_, form, field) => {
    expect(codeOf(() => readSurvey(survey, form))).toEqual({
      code: 'SP_SURVEY_INVALID',
      evidence: { field },
    })
  })
})

describe('readMessageText', () => {
  it('takes 1 to 4,000 characters, trimmed', () => {
    expect(readMessageText({ text: '  Hello  ' })).toBe('Hello')
    expect(readMessageText({ text: 'x'.repeat(4000) })).toHaveLength(4000)
  })

  it.each<Record<string, string>>([{}, { text: '' }, { text: ' \n ' }, { text: 'x'.repeat(4001) }])(
    'refuses %j (SP_MESSAGE_INVALID)',
    (form) => {
      expect(codeOf(() => readMessageText(form))?.code).toBe('SP_MESSAGE_INVALID')
    },
  )
})
