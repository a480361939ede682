import { describe, expect, it } from 'vitest'
import { authnClasses } from '../../core/authn-context/classes.ts'
import { defaultUsers } from '../../idp/users/default-users.ts'
import { useBrowserPair } from '../fixtures/browser-pair.ts'
import { browserBudget, openContext } from './budget.ts'

describe(
  'the two-step login (password, then one-time code) in real Chromium',
  browserBudget,
  () => {
    const setup = useBrowserPair({
      users: [
        ...defaultUsers,
        {
          id: 'erin',
          name: 'Erin Eriksen',
          password: 'erin-secret',
          secondFactor: { code: '246810' },
        },
      ],
      sp: { campaign: { authnContext: { classRefs: [authnClasses.mfa] } } },
    })

    it('a campaign requiring MFA: password, a wrong code refused, the right code signs in with REFEDS MFA', async () => {
      const context = await openContext(setup.browser)
      try {
        const page = await context.newPage()
        await page.goto(`${setup.running.spUrl}/login`)
        await page.waitForURL(`${setup.running.idpUrl}/saml/sso?**`)
        await page.fill('#username', 'erin')
        await page.fill('#password', 'erin-secret')
        await page.click('#login-form button[value=login]')
        await page.waitForSelector('#second-factor-form')
        await expect(page.isVisible('#otp')).resolves.toBe(true)

        await page.fill('#otp', '135790')
        await page.click('#second-factor-form button[value=verify]')
        await page.waitForSelector('#login-error')
        await expect(page.textContent('#error-code')).resolves.toBe('IDP_SECOND_FACTOR_FAILED')

        await page.fill('#otp', '246810')
        await page.click('#second-factor-form button[value=verify]')
        await page.waitForURL(`${setup.running.spUrl}/`)
        await expect(page.locator('#user-name').textContent()).resolves.toBe('Erin Eriksen')
        const sessions = setup.running.pair.sp.sessions
        const cookie = (await context.cookies(setup.running.spUrl)).find(
          (each) => each.name === 'ssoproof_sp_session',
        )
        expect(sessions.peek(cookie?.value)?.subject.authnContext).toBe(authnClasses.mfa)
      } finally {
        await context.close()
      }
    })
  },
)
