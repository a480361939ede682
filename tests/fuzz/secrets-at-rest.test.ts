import { describe, expect, it } from 'vitest'
import type { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { defaultUsers } from '../../idp/users/default-users.ts'
import { agentSignIn, agentSsoSettings, agentUsers } from '../../sp/agents/test-support.ts'
import type { SpProtocol } from '../../sp/options.ts'
import type { SpDatabase } from '../../sp/store/database.ts'
import { spUrl } from '../fixtures/in-process.ts'
import { formToken, mappingsFor, signIn, signOut } from '../fixtures/visitor.ts'
import { type Exchange, recordedPair, secretsOf } from './recorded-traffic.ts'

/**
 * Catalogue case 37, secrets at rest: after real sign-ins of every protocol (visitors and agents,
 * a username question, logouts), no row of any table of the SP database — read after every
 * request, so short-lived stores are seen while they hold something — contains a cookie value,
 * a token or a segment of one, an assertion, a code, a PKCE verifier, a state, a nonce or a
 * password that travelled. Digests of them are what the SP keeps.
 */

/** Every row of every table, as text. */
function rowsOf(db: SpDatabase): string[] {
  const tables = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .all()
  return tables.flatMap(({ name }) =>
    db
      .prepare(`SELECT * FROM "${name}"`)
      .all()
      .map((row) => `${name} ${JSON.stringify(row)}`),
  )
}

/** The pair with every row it ever held collected, and the short-lived stores' namespaces that held any. */
async function watchedPair(protocol: SpProtocol, withAgents = false) {
  const recorded = await recordedPair({
    protocol,
    ...(withAgents ? { users: [...defaultUsers, ...agentUsers] } : {}),
    sp: {
      campaign: { mappings: mappingsFor(protocol), accounts: { requireUsername: true } },
      ...(withAgents ? { agentSso: agentSsoSettings } : {}),
    },
  })
  const rows = new Set<string>()
  const namespaces = new Set<string>()
  const db = recorded.pair.sp.database
  recorded.afterExchange.push(() => {
    for (const row of rowsOf(db)) rows.add(row)
    for (const { namespace } of db
      .prepare<[], { namespace: string }>(
        'SELECT namespace FROM expiring UNION SELECT namespace FROM expiring_small',
      )
      .all()) {
      namespaces.add(namespace)
    }
  })
  return { ...recorded, rows, namespaces }
}

function expectNothingInClear(
  exchanges: readonly Exchange[],
  rows: ReadonlySet<string>,
  extra: Record<string, string[]> = {},
) {
  const secrets = secretsOf(exchanges)
  for (const [kind, values] of Object.entries(extra)) secrets.set(kind, new Set(values))
  const leaks: string[] = []
  for (const [kind, values] of secrets) {
    for (const value of values) {
      for (const row of rows) {
        if (row.includes(value))
          leaks.push(`${kind} (${value.slice(0, 16)}…) in ${row.slice(0, 80)}`)
      }
    }
  }
  expect(leaks).toEqual([])
  expect(rows.size).toBeGreaterThan(0)
  return [...secrets.keys()]
}

/** Signs in as `user`, answering the first sign-on's username question. */
async function signInWithUsername(
  agent: UserAgent,
  user: string,
  returnUrl: string,
  password?: string,
) {
  const prompt = await signIn(agent, user, {
    returnUrl,
    ...(password !== undefined ? { password } : {}),
  })
  expect(prompt.url).toBe(`${spUrl}/account/username`)
  const done = await agent.submit(prompt, '#username-form', { username: `${user}_name` })
  expect(done.url).toBe(`${spUrl}${returnUrl}`)
}

describe('no browser token or protocol secret in the SP database (catalogue case 37)', () => {
  it('SAML over HTTP-POST: pending request, username question, session, replay cache, logout', async () => {
    const { pair, exchanges, agent, rows, namespaces } = await watchedPair('saml')
    const browser = agent()
    await signInWithUsername(browser, 'carol', '/account', 'carol-secret')
    const password = await signIn(agent(), 'carol', { password: 'carol-secret' })
    expect(password.url).toBe(`${spUrl}/`)
    await signOut(browser)
    expect([...namespaces]).toEqual(
      expect.arrayContaining([
        'default:pending-requests',
        'default:pending-sign-ins',
        'default:sessions',
        'default:replay',
        'default:pending-logouts',
      ]),
    )
    const kinds = expectNothingInClear(exchanges, rows, { password: ['carol-secret'] })
    expect(kinds).toEqual(
      expect.arrayContaining(['SAMLResponse', 'Assertion XML', 'SignatureValue', 'cookie']),
    )
    expect(pair.log.join('\n')).not.toContain('carol-secret')
  })

  it('SAML over HTTP-Artifact: the artifact and the resolved Response', async () => {
    const recorded = await recordedPair({ spRegistration: { responseBinding: 'artifact' } })
    const rows = new Set<string>()
    recorded.afterExchange.push(() => {
      for (const row of rowsOf(recorded.pair.sp.database)) rows.add(row)
    })
    recorded.pair.idp.queueLogin('alice')
    const home = await recorded.agent().navigate(`${spUrl}/login`)
    expect(home.url).toBe(`${spUrl}/`)
    const kinds = expectNothingInClear(recorded.exchanges, rows)
    expect(kinds).toEqual(expect.arrayContaining(['SAMLart', 'Assertion XML', 'cookie']))
  })

  it('JWT: the token, its segments and the replay cache', async () => {
    const { exchanges, agent, rows, namespaces } = await watchedPair('jwt')
    const browser = agent()
    expect((await signIn(browser, 'alice')).url).toBe(`${spUrl}/`)
    await signOut(browser)
    expect([...namespaces]).toEqual(expect.arrayContaining(['default:sessions', 'default:replay']))
    const kinds = expectNothingInClear(exchanges, rows)
    expect(kinds).toEqual(expect.arrayContaining(['token', 'JWT segment', 'cookie']))
  })

  it('OIDC: state, nonce, PKCE verifier, code, tokens, the ID token kept for logout, end_session state', async () => {
    const { exchanges, agent, rows, namespaces } = await watchedPair('oidc')
    const browser = agent()
    await signInWithUsername(browser, 'alice', '/account')
    const out = await browser.navigate(`${spUrl}/logout`, {
      method: 'POST',
      form: { form_token: await formToken(browser), return_url: '/messenger' },
      from: `${spUrl}/`,
    })
    expect(out.url).toBe(`${spUrl}/messenger`)
    expect([...namespaces]).toEqual(
      expect.arrayContaining([
        'default:oidc-logins',
        'default:pending-sign-ins',
        'default:sessions',
        'default:oidc-logout-returns',
      ]),
    )
    const kinds = expectNothingInClear(exchanges, rows)
    expect(kinds).toEqual(
      expect.arrayContaining([
        'code',
        'code_verifier',
        'state',
        'nonce',
        'id_token',
        'access_token',
        'id_token_hint',
        'JWT segment',
        'cookie',
      ]),
    )
  })

  it('agents: SAML and JWT sign-ins, a password login', async () => {
    const { exchanges, agent, rows, namespaces } = await watchedPair('saml', true)
    expect(await signedInAs(agentSignIn(agent(), 'anna.idp', { site: '1001' }))).toBe(true)
    expect(await signedInAs(agentSignIn(agent(), 'jay.idp', { site: '2002' }))).toBe(true)
    const browser = agent()
    const form = await browser.navigate(`${spUrl}/agent/login?site=3003`)
    const page = await browser.submit(form, '#agent-password-form', {
      loginName: 'ines',
      password: 'ines-password',
    })
    expect(page.url).toBe(`${spUrl}/agent`)
    expect([...namespaces]).toEqual(
      expect.arrayContaining(['agent:pending', 'agent:sessions', 'agent:replay']),
    )
    const kinds = expectNothingInClear(exchanges, rows, { password: ['ines-password'] })
    expect(kinds).toEqual(expect.arrayContaining(['SAMLResponse', 'token', 'cookie']))
  })
})

async function signedInAs(page: ReturnType<typeof agentSignIn>): Promise<boolean> {
  return (await page).url === `${spUrl}/agent`
}
