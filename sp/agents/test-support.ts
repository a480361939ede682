import { expect } from 'vitest'
import type { Page, UserAgent } from '../../harness/http-driver/user-agent.ts'
import type { PairOptions } from '../../harness/pair.ts'
import { defaultUsers } from '../../idp/users/default-users.ts'
import type { IdpUserInput } from '../../idp/users/user.ts'
import { createInProcessPair, idpUrl, spUrl } from '../../tests/fixtures/in-process.ts'
import type { AgentSsoSettings } from './settings.ts'

/** The IdP's agents: users with `siteId` and `loginName` attributes, some deliberately wrong. */
export const agentUsers: IdpUserInput[] = [
  { id: 'anna.idp', name: 'Anna Agent', attributes: { siteId: '1001', loginName: 'anna' } },
  // No loginName: the NameID (the user id) is the login name.
  { id: 'bruno', name: 'Bruno Agent', attributes: { siteId: '1001' } },
  // No siteId: the site comes from the URL or the site question.
  { id: 'carla.idp', name: 'Carla Agent', attributes: { loginName: 'carla' } },
  { id: 'ghost.idp', name: 'Ghost', attributes: { siteId: '1001', loginName: 'ghost' } },
  { id: 'anna.upper', name: 'Anna Upper', attributes: { siteId: '1001', loginName: 'Anna' } },
  { id: 'otto.idp', name: 'Otto Other', attributes: { siteId: '2002', loginName: 'anna' } },
  { id: 'dora.idp', name: 'Dora Disabled', attributes: { siteId: '1001', loginName: 'dora' } },
  { id: 'jay.idp', name: 'Jay Jwt', attributes: { siteId: '2002', loginName: 'jay' } },
]

/** Where site 1001 sends agents after logout and after a refused sign-in (pages of the IdP's host). */
export const logoutPage = `${idpUrl}/?page=acme-logout`
export const loginErrorPage = `${idpUrl}/?page=acme-login-error`

/** Site 1001 signs in by SAML, 2002 by JWT, 3003 has SSO off (passwords). */
export const agentSsoSettings: AgentSsoSettings = {
  sites: [
    { id: '1001', name: 'Acme', logoutUrl: logoutPage, loginErrorUrl: loginErrorPage },
    { id: '2002', name: 'Globex', protocol: 'jwt' },
    { id: '3003', name: 'Initech', ssoOn: false },
  ],
  agents: [
    { siteId: '1001', loginName: 'anna', name: 'Anna Agent', password: 'anna-password' },
    { siteId: '1001', loginName: 'bruno', name: 'Bruno Agent' },
    { siteId: '1001', loginName: 'carla', name: 'Carla Agent' },
    { siteId: '1001', loginName: 'dora', name: 'Dora Agent', disabled: true },
    { siteId: '2002', loginName: 'jay', name: 'Jay Agent' },
    { siteId: '3003', loginName: 'ines', name: 'Ines Agent', password: 'ines-password' },
  ],
}

/** The in-process IdP and SP with the agent sites above and the IdP's agents beside its visitors. */
export function agentPair(overrides: Partial<PairOptions> = {}) {
  return createInProcessPair({
    users: [...defaultUsers, ...agentUsers],
    ...overrides,
    sp: { agentSso: agentSsoSettings, ...overrides.sp },
  })
}

/**
 * Opens the console as an agent would: /agent, the site question when this browser has never
 * answered it, then the IdP's login form (when it shows one) as `userId`.
 */
export async function agentSignIn(
  agent: UserAgent,
  userId: string,
  options: { site?: string; path?: string } = {},
): Promise<Page> {
  let page = await agent.navigate(`${spUrl}${options.path ?? '/agent'}`)
  if (page.document.querySelector('#site-form')) {
    expect(options.site, 'the SP asks for the site ID').toBeDefined()
    page = await agent.submit(page, '#site-form', { site: options.site ?? '' })
  }
  if (!page.document.querySelector('#login-form')) return page
  return agent.submit(page, '#login-form', { username: userId }, { name: 'action', value: 'login' })
}

/** The login name the console shows as signed in, if any. */
export function signedInAgent(page: Page): string | undefined {
  return page.document.querySelector('#agent-login-name')?.text
}

/** The `reason` of a login-error page URL. */
export function reasonOf(page: Page): string | null {
  return new URL(page.url).searchParams.get('reason')
}
