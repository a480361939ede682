import { describe, expect, it } from 'vitest'
import { parseSpMetadata } from '../../core/saml/metadata.ts'
import type { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { createInProcessPair, spUrl } from '../../tests/fixtures/in-process.ts'
import { apiSession, mappingsFor, queueIdpLogin, signIn } from '../../tests/fixtures/visitor.ts'
import type { SpDatabase } from '../store/database.ts'

const hour = 3_600_000

/** The root campaign speaks SAML; three more sit under /c/<id>/, each with its own connection. */
function pair() {
  return createInProcessPair({
    sp: {
      sessionInactivityMs: 1 * hour,
      campaigns: [
        { id: 'shop', name: 'Shop', protocol: 'jwt', sessionInactivityMs: 48 * hour },
        { id: 'help', name: 'Help', protocol: 'oidc', mappings: mappingsFor('oidc') },
        { id: 'partners', name: 'Partners' },
      ],
    },
  })
}

const shop = `${spUrl}/c/shop`
const help = `${spUrl}/c/help`
const partners = `${spUrl}/c/partners`

async function cookieNames(agent: UserAgent): Promise<string[]> {
  return (await agent.jar.getCookies(`${spUrl}/`)).map((cookie) => cookie.key).sort()
}

function sessionRows(db: SpDatabase, campaign: string): number {
  return (
    db
      .prepare<[string], { n: number }>('SELECT count(*) AS n FROM expiring WHERE namespace = ?')
      .get(`${campaign}:sessions`)?.n ?? 0
  )
}

describe('campaigns side by side under /c/<id>/', () => {
  it('registers every campaign at the IdP in its own protocol, under its own URLs', async () => {
    const { idp, sp } = await pair()
    expect([...sp.campaigns.keys()]).toEqual(['default', 'shop', 'help', 'partners'])
    for (const base of [spUrl, shop, help, partners]) {
      const registration = idp.serviceProviders.get(`${base}/saml/metadata`)
      expect(registration?.assertionConsumerServices.map((acs) => acs.location)).toEqual([
        `${base}/saml/acs`,
        `${base}/saml/acs`,
      ])
    }
    const metadata = await (await sp.app.request('/c/partners/saml/metadata')).text()
    expect(parseSpMetadata(metadata).entityId).toBe(`${partners}/saml/metadata`)
    expect(idp.jwtServiceProviders.get(shop)?.returnUrls).toEqual([`${shop}/`])
    expect(sp.campaigns.get('shop')?.config.jwt?.audience).toBe(shop)
    expect(idp.oidcClients.get(help)?.redirectUris).toEqual([`${help}/oidc/callback`])
    expect(sp.campaigns.get('help')?.config.oidc?.clientId).toBe(help)
  })

  it('each campaign signs the visitor in on its own, with its own cookie; one contact per external ID', async () => {
    const { agent: newAgent } = await pair()
    const agent = newAgent()
    await signIn(agent, 'alice', { returnUrl: '/' })
    expect(await cookieNames(agent)).toContain('ssoproof_sp_session')
    for (const base of [shop, help, partners]) {
      expect(await apiSession(agent, base)).toEqual({ signedIn: false })
    }

    // Signed in at the IdP already: each campaign's sign-in goes through without a form.
    await signIn(agent, 'alice', { base: shop, returnUrl: '/c/shop/orders' })
    expect(agent.history.at(-1)?.url).toBe(`${shop}/orders`)
    await signIn(agent, 'alice', { base: help, returnUrl: '/c/help/' })
    expect(agent.history.at(-1)?.url).toBe(`${help}/`)
    await signIn(agent, 'alice', { base: partners, returnUrl: '/c/partners/' })
    expect(agent.history.at(-1)?.url).toBe(`${partners}/`)
    expect(await cookieNames(agent)).toEqual(
      expect.arrayContaining([
        'ssoproof_sp_session',
        'ssoproof_sp_session_shop',
        'ssoproof_sp_session_help',
        'ssoproof_sp_session_partners',
      ]),
    )

    const sessions = await Promise.all(
      [spUrl, shop, help, partners].map((base) => apiSession(agent, base)),
    )
    expect(sessions.map((session) => session.subject?.nameId)).toEqual([
      'alice',
      'alice',
      'alice',
      'alice',
    ])
    expect(new Set(sessions.map((session) => session.contact?.id)).size).toBe(1)
  })

  it('a JWT root and campaigns inheriting or choosing JWT and OIDC: each its own audience and client', async () => {
    const { agent: newAgent, idp } = await createInProcessPair({
      protocol: 'jwt',
      sp: { campaigns: [{ id: 'shop' }, { id: 'help', protocol: 'oidc' }] },
    })
    expect(idp.jwtServiceProviders.get(shop)?.returnUrls).toEqual([`${shop}/`])
    expect(idp.oidcClients.get(help)).toBeDefined()
    const agent = newAgent()
    for (const base of [spUrl, shop, help]) {
      await signIn(agent, 'alice', {
        base,
        returnUrl: `${new URL(base).pathname.replace(/\/$/, '')}/x`,
      })
      expect(agent.history.at(-1)?.url).toBe(`${base}/x`)
      expect((await apiSession(agent, base)).subject?.nameId).toBe('alice')
    }
  })

  it('a campaign’s session is its own: signed in as alice at the root, bob may sign in at the shop', async () => {
    const { agent: newAgent, idp } = await pair()
    const agent = newAgent()
    await signIn(agent, 'alice')
    await queueIdpLogin(idp, 'bob')
    await signIn(agent, 'bob', { base: shop, returnUrl: '/c/shop/' })
    expect((await apiSession(agent, shop)).subject?.nameId).toBe('bob')
    expect((await apiSession(agent)).subject?.nameId).toBe('alice')
  })

  it('a campaign’s own sessionInactivityMs: 47h59m idle kept, 48h gone, while the root’s 1 h ran out', async () => {
    const { agent: newAgent, clock, sp } = await pair()
    const kept = newAgent()
    const idle = newAgent()
    await signIn(kept, 'alice')
    await signIn(kept, 'alice', { base: shop })
    await signIn(idle, 'bob', { base: shop })
    expect(sessionRows(sp.database, 'shop')).toBe(2)

    clock.advance('47h59m')
    expect((await apiSession(kept, shop)).signedIn).toBe(true)
    expect(await apiSession(kept)).toEqual({ signedIn: false })
    clock.advance('1m')
    // 48 h after bob's last request; alice's request a minute ago counted as activity.
    expect(await apiSession(idle, shop)).toEqual({ signedIn: false })
    expect((await apiSession(kept, shop)).signedIn).toBe(true)

    clock.advance('48h')
    expect(sessionRows(sp.database, 'shop')).toBe(1)
    // The ended session's row is gone once a new one is written.
    await signIn(newAgent(), 'carol', { base: shop, password: 'carol-secret' })
    expect(sessionRows(sp.database, 'shop')).toBe(1)
    expect(await apiSession(kept, shop)).toEqual({ signedIn: false })
  })
})
