import { describe, expect, it } from 'vitest'
import { defaultUsers } from '../../idp/users/default-users.ts'
import { useBrowserPair } from '../fixtures/browser-pair.ts'
import { browserBudget, openContext } from './budget.ts'

describe('agent SSO in real Chromium', browserBudget, () => {
  const setup = useBrowserPair({
    users: [
      ...defaultUsers,
      { id: 'anna.idp', name: 'Anna Agent', attributes: { siteId: '1001', loginName: 'anna' } },
      { id: 'jay.idp', name: 'Jay Agent', attributes: { siteId: '2002', loginName: 'jay' } },
    ],
    sp: {
      agentSso: {
        sites: [
          { id: '1001', name: 'Acme' },
          { id: '2002', name: 'Globex', protocol: 'jwt' },
        ],
        agents: [
          { siteId: '1001', loginName: 'anna', name: 'Anna Agent' },
          { siteId: '2002', loginName: 'jay', name: 'Jay Agent' },
        ],
      },
    },
  })

  it('SAML: the site ID once, the IdP, the console; logout lands on the logout page; the next sign-in asks nothing', async () => {
    const context = await openContext(setup.browser)
    try {
      const page = await context.newPage()
      await page.goto(`${setup.running.spUrl}/agent`)
      await page.waitForSelector('#site-form')
      await page.fill('#site-id', '1001')
      await page.click('#site-form button[type=submit]')
      await page.waitForURL(`${setup.running.idpUrl}/saml/sso?**`)
      await page.fill('#username', 'anna.idp')
      await page.click('#login-form button[value=login]')
      await page.waitForURL(`${setup.running.spUrl}/agent`)
      await expect(page.textContent('#agent-login-name')).resolves.toBe('anna')
      await expect(page.textContent('#agent-name')).resolves.toBe('Anna Agent')
      const cookies = await context.cookies(setup.running.spUrl)
      const session = cookies.find((cookie) => cookie.name === 'ssoproof_agent_session')
      expect(session?.httpOnly).toBe(true)
      const site = cookies.find((cookie) => cookie.name === 'ssoproof_agent_site')
      expect(site?.value).toBe('1001')
      // Long-lived: the browser keeps it for about 400 days.
      expect((site?.expires ?? 0) * 1000 - Date.now()).toBeGreaterThan(399 * 86_400_000)

      await page.click('#agent-logout button')
      await page.waitForURL(`${setup.running.spUrl}/agent/signed-out`)
      await expect(page.isVisible('#signed-out')).resolves.toBe(true)
      const afterLogout = await context.cookies(setup.running.spUrl)
      expect(afterLogout.some((cookie) => cookie.name === 'ssoproof_agent_session')).toBe(false)

      // The remembered site and the IdP's session: straight back, no question, no login form.
      await page.goto(`${setup.running.spUrl}/agent`)
      await page.waitForURL(`${setup.running.spUrl}/agent`)
      await expect(page.textContent('#agent-login-name')).resolves.toBe('anna')
      await expect(page.isVisible('#site-form')).resolves.toBe(false)
    } finally {
      await context.close()
    }
  })

  it('JWT: the remote login URL and the token callback sign the agent in to the console', async () => {
    const context = await openContext(setup.browser)
    try {
      const page = await context.newPage()
      await page.goto(`${setup.running.spUrl}/agent/login?site=2002`)
      await page.waitForURL(`${setup.running.idpUrl}/jwt/login?**`)
      await page.fill('#username', 'jay.idp')
      await page.click('#login-form button[value=login]')
      await page.waitForURL(`${setup.running.spUrl}/agent`)
      await expect(page.textContent('#agent-login-name')).resolves.toBe('jay')
      await page.click('#agent-logout button')
      await page.waitForURL(`${setup.running.spUrl}/agent/signed-out`)
    } finally {
      await context.close()
    }
  })
})
