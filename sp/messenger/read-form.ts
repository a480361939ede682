import { SsoError } from '../../core/errors/index.ts'
import type { SurveyField } from '../campaigns/settings.ts'

type Form = Record<string, string | File | (string | File)[]>

const maxAnswerLength = 500
const maxMessageLength = 4000
const emailPattern = /^[^\s@]+@[^\s@]+$/

/**
 * The pre-chat survey's answers, checked on the server whatever the page's `required` said:
 * every required field filled, at most 500 characters each, an email field shaped like one.
 * Unknown form fields are dropped; empty optional ones are left out.
 */
export function readSurvey(fields: readonly SurveyField[], form: Form): Record<string, string> {
  const answers: Record<string, string> = {}
  for (const field of fields) {
    const value = text(form[field.name])
    const refuse = (reason: string) =>
      new SsoError('SP_SURVEY_INVALID', field.name, `${field.label}: ${reason}`, {
        field: field.name,
      })
    if (value === '') {
      if (field.required) throw refuse('please fill this in')
      continue
    }
    if (value.length > maxAnswerLength) throw refuse(`at most ${maxAnswerLength} characters`)
    if (field.type === 'email' && !emailPattern.test(value)) throw refuse('not an email address')
    answers[field.name] = value
  }
  return answers
}

/** The `text` of a message form (visitor or agent): 1 to 4,000 characters once trimmed. */
export function readMessageText(form: Form): string {
  const value = text(form.text)
  if (value === '' || value.length > maxMessageLength) {
    throw new SsoError(
      'SP_MESSAGE_INVALID',
      'text',
      value === ''
        ? 'the message is empty'
        : `the message is longer than ${maxMessageLength} characters`,
      { length: value.length },
    )
  }
  return value
}

function text(value: Form[string] | undefined): string {
  return typeof value === 'string' ? value.trim() : ''
}
