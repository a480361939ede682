import { expect } from 'vitest'
import type { Page, UserAgent } from '../../harness/http-driver/user-agent.ts'
import type { PairOptions } from '../../harness/pair.ts'
import { createInProcessPair, spUrl } from '../../tests/fixtures/in-process.ts'
import type { CampaignSettingsInput } from '../campaigns/settings.ts'

/** The IdP login form's submit button. */
export const loginButton = { name: 'action', value: 'login' }

/** The in-process IdP and SP, the SP's root campaign set to `campaign`. */
export function messengerPair(
  campaign: CampaignSettingsInput = {},
  overrides: Partial<PairOptions> = {},
) {
  return createInProcessPair({ ...overrides, sp: { ...overrides.sp, campaign } })
}

/** `#chat-window[data-state]`: choose, sign-in-required, survey or conversation. */
export function windowState(page: Page): string | undefined {
  return page.document.querySelector('#chat-window')?.getAttribute('data-state')
}

export function openMessenger(agent: UserAgent, prefix = ''): Promise<Page> {
  return agent.navigate(`${spUrl}${prefix}/messenger?open=1`)
}

/**
 * Follows the window's `a#sign-in` and, when the IdP shows its login form (no IdP session yet),
 * logs in as `username`.
 */
export async function signInFromWindow(
  agent: UserAgent,
  page: Page,
  username: string,
  password?: string,
): Promise<Page> {
  const href = page.document.querySelector('#sign-in')?.getAttribute('href')
  expect(href).toBeDefined()
  const next = await agent.navigate(new URL(href as string, page.url).toString(), {
    from: page.url,
  })
  if (!next.document.querySelector('#login-form')) return next
  const credentials: Record<string, string> =
    password === undefined ? { username } : { username, password }
  return agent.submit(next, '#login-form', credentials, loginButton)
}

/** A guest of a sign-in-optional campaign: "Chat as visitor", the survey, a first message. */
export async function startAsGuest(
  agent: UserAgent,
  answers: Record<string, string> = { name: 'Zoe Guest', email: 'zoe@example.net' },
  text = 'Hello, I have a question',
): Promise<Page> {
  const chosen = await agent.submit(await openMessenger(agent), '#chat-as-visitor')
  expect(windowState(chosen)).toBe('survey')
  const started = await agent.submit(chosen, '#survey', answers)
  return agent.submit(started, '#message-form', { text })
}

/** The messages a page shows, as `author kind: body` lines. */
export function messagesOf(page: Page, list = '#messages'): string[] {
  return page.document
    .querySelectorAll(`${list} .message`)
    .map(
      (message) =>
        `${message.getAttribute('data-author')} ${message.getAttribute('data-kind')}: ${message.text}`,
    )
}

/** The conversation id the window shows. */
export function conversationIdOf(page: Page): string | undefined {
  return page.document.querySelector('#chat-window')?.getAttribute('data-conversation-id')
}
