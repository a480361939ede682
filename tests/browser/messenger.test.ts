import type { Page } from 'playwright'
import { describe, expect, it } from 'vitest'
import { useBrowserPair } from '../fixtures/browser-pair.ts'
import { browserBudget, openContext } from './budget.ts'

async function logInAtIdp(page: Page, username: string, password?: string) {
  await page.fill('#username', username)
  if (password !== undefined) await page.fill('#password', password)
  await page.click('#login-form button[value=login]')
}

describe('the messenger in real Chromium', browserBudget, () => {
  const setup = useBrowserPair({
    sp: {
      campaign: {
        name: 'Acme Support',
        signIn: 'optional',
        // The window opens in place here; the silent attempt has a suite of its own.
        silentSignIn: false,
        routing: {
          rules: [{ team: 'VIP', field: 'variable:membershipLevel', equals: 'gold' }],
          defaultTeam: 'General',
        },
      },
      campaigns: [
        { id: 'members', name: 'Members only', signIn: 'required', loginWindow: 'popup' },
      ],
    },
  })

  it('a guest chats, the agent asks for sign-in, the same conversation carries the identity, the visitor signs out', async () => {
    const visitorContext = await openContext(setup.browser)
    const agentContext = await openContext(setup.browser)
    try {
      const visitor = await visitorContext.newPage()
      await visitor.goto(`${setup.running.spUrl}/messenger`)
      await expect(visitor.isHidden('#chat-window')).resolves.toBe(true)
      // The launcher opens the window in place: no page load.
      let loads = 0
      visitor.on('load', () => loads++)
      await visitor.click('#launcher')
      await expect(visitor.isVisible('#chat-window[data-state=choose]')).resolves.toBe(true)
      expect(loads).toBe(0)

      await visitor.click('#chat-as-visitor button')
      await visitor.waitForSelector('#chat-window[data-state=survey]')
      await visitor.fill('#survey input[name=name]', 'Zoe Guest')
      await visitor.click('#survey button[type=submit]')
      await visitor.waitForSelector('#chat-window[data-state=conversation]')
      await visitor.fill('#message-text', 'Where is my order?')
      await visitor.click('#message-form button')
      await visitor.waitForSelector('#messages .message[data-author=visitor]')
      const id = await visitor.getAttribute('#chat-window', 'data-conversation-id')
      expect(id).toMatch(/^\d+$/)

      const agent = await agentContext.newPage()
      await agent.goto(`${setup.running.spUrl}/agent`)
      await agent.click(`.conversation[data-id="${id}"] a`)
      await expect(agent.textContent('#contact-name')).resolves.toBe('Zoe Guest')
      await expect(agent.textContent('#team')).resolves.toBe('General')
      await agent.click('#send-sign-in-request button')

      // The window's polling notices the request and shows the prompt.
      await visitor.waitForSelector('#sign-in-request a#sign-in', { timeout: 60_000 })
      // The IdP's login shows inside the conversation panel (this IdP lets any page frame it).
      await visitor.click('#sign-in-request a#sign-in')
      const frame = visitor.frameLocator('#chat-window #sign-in-frame')
      await frame.locator('#username').fill('alice')
      await frame.locator('#login-form button[value=login]').click()
      await visitor.waitForSelector('#visitor-identity[data-external-id=alice]')
      expect(visitor.url()).toBe(`${setup.running.spUrl}/messenger?open=1`)
      await expect(visitor.textContent('#visitor-identity')).resolves.toBe(
        'Signed in as Alice Andersen',
      )
      await expect(visitor.getAttribute('#chat-window', 'data-conversation-id')).resolves.toBe(id)

      await agent.reload()
      await expect(agent.textContent('#external-id')).resolves.toBe('alice')
      await expect(agent.isVisible('#verified')).resolves.toBe(true)
      await expect(agent.textContent('#team')).resolves.toBe('VIP')
      await agent.fill('#reply-text', 'Hello Alice, your order ships today.')
      await agent.click('#reply button')

      // The reply appears without a reload.
      await visitor.waitForSelector('#messages .message[data-author=agent][data-kind=text]', {
        timeout: 60_000,
      })
      await expect(
        visitor.textContent('#messages .message[data-author=agent][data-kind=text]'),
      ).resolves.toBe('Hello Alice, your order ships today.')

      await visitor.click('#log-out button')
      // Single logout is several hops through the IdP: 60 s, as the waits above (load 40 took >30 s).
      await visitor.waitForURL(`${setup.running.spUrl}/messenger?open=1`, { timeout: 60_000 })
      await visitor.waitForSelector('#chat-window[data-state=choose]', { timeout: 60_000 })
      await agent.goto(`${setup.running.spUrl}/agent/history?external_id=alice`)
      await expect(agent.getAttribute('.transcript', 'data-conversation-id')).resolves.toBe(id)
    } finally {
      await visitorContext.close()
      await agentContext.close()
    }
  })

  it('a sign-in-required campaign signs the visitor in through a popup', async () => {
    const context = await openContext(setup.browser)
    try {
      const page = await context.newPage()
      await page.goto(`${setup.running.spUrl}/c/members/messenger?open=1`)
      await expect(page.textContent('#sign-in-required')).resolves.toContain(
        'only for signed-in customers',
      )
      const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#sign-in')])
      await popup.waitForURL(`${setup.running.idpUrl}/saml/sso?**`)
      // Listening before the login: the popup may close before logInAtIdp returns, and a wait
      // for 'close' begun on a closed page never ends.
      const closed = popup.waitForEvent('close')
      await logInAtIdp(popup, 'carol', 'carol-secret')
      await closed
      // The popup told its opener, which shows the conversation signed in.
      await page.waitForSelector('#chat-window[data-state=conversation]')
      await expect(page.textContent('#visitor-identity')).resolves.toBe('Signed in as Carol Chen')
      expect(page.url()).toBe(`${setup.running.spUrl}/c/members/messenger?open=1`)
    } finally {
      await context.close()
    }
  })
})
