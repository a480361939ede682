import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { encodeLogout } from '../../core/saml/logout-binding.ts'
import { decodeRedirect } from '../../core/saml/redirect.ts'
import { type Page, UserAgent } from '../../harness/http-driver/user-agent.ts'
import { agentPair } from '../../sp/agents/test-support.ts'
import { createInProcessPair, idpUrl, spUrl } from '../fixtures/in-process.ts'
import { formToken } from '../fixtures/visitor.ts'
import { fuzzParameters, fuzzTimeoutMs } from './fuzz-settings.ts'
import { guardProcess } from './process-guard.ts'

/**
 * Catalogue case 32: whatever return path a visitor, a link or an IdP hands the SP, every
 * Location the SP answers stays on the SP or goes to its IdP — never a scheme-relative `//host`
 * or `/\host` a browser would read as another site. Each endpoint that takes a return path is
 * driven through the real IdP and SP in-process, with the browser following every redirect.
 */

/** Path segments, among them dot segments in every spelling a URL parser removes. */
const segment = fc.constantFrom(
  'a',
  '',
  '.',
  '..',
  '%2e',
  '%2E',
  '%2e%2e',
  '.%2E',
  '%2e.',
  '\uff0e\uff0e',
)

/** Separators: slashes of every kind, encoded, and with the tabs and newlines parsers drop. */
const separator = fc.constantFrom(
  '/',
  '//',
  '\\',
  '/\\',
  '%2f',
  '%5c',
  '\t/',
  '/\n',
  '\r/',
  '\u2215', // division slash
  '\u2044', // fraction slash
  '\uff0f', // full-width solidus
  '\uff3c', // full-width reverse solidus
  '\u29f8', // big solidus
)

/** What an attacker wants after the slashes: a host, in several spellings. */
const host = fc.constantFrom(
  'evil.example',
  'evil.example/x?y=1#z',
  '@evil.example',
  'user@evil.example',
  '127.0.0.1:7000/login',
  'ｅｖｉｌ．ｅｘａｍｐｌｅ',
  'evil.example%00',
  'evil\u3000.example',
  '\u202eelpmaxe.live',
  '',
)

/** Dot segments and slashes in any order, then a host: what normalises into `//host`. */
const traversal = fc
  .tuple(fc.array(fc.tuple(segment, separator), { maxLength: 5 }), host, fc.boolean())
  .map(
    ([parts, target, rooted]) =>
      `${rooted ? '/' : ''}${parts.map(([name, slash]) => name + slash).join('')}${target}`,
  )

/** Odd pieces in any order: schemes, query and fragment marks, controls, invisible characters. */
const pieces = fc
  .array(
    fc.constantFrom(
      '/',
      '..',
      'http:',
      'javascript:',
      ':',
      '?',
      '#',
      '&',
      ' ',
      '%0d%0a',
      '\u0000',
      '\u0085',
      '\u00a0',
      '\u3000',
      '\ufeff',
      '\u200b',
      'evil.example',
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''))

const returnPath: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: traversal },
  { weight: 2, arbitrary: pieces },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((text) => `/${text}`) },
)

/** Where the browser went that was neither the SP nor the IdP: an open redirect. */
interface Watch {
  offSite: string[]
  spLocations: { from: string; location: string }[]
}

/**
 * A browser whose requests to the SP are watched: every Location the SP answers is recorded, and
 * a request to any origin but the SP's and the IdP's is recorded instead of sent.
 */
function watchedBrowser(handlers: { idp: Handler; sp: Handler }, watch: Watch) {
  return new UserAgent({
    origins: {
      [idpUrl]: handlers.idp,
      [spUrl]: async (request) => {
        const answer = await handlers.sp(request)
        const location = answer.headers.get('location')
        if (location !== null) watch.spLocations.push({ from: request.url, location })
        return answer
      },
    },
    fallback: (request) => {
      watch.offSite.push(request.url)
      return new Response('off site', { status: 200 })
    },
  })
}

type Handler = (request: Request) => Response | Promise<Response>

/** Every Location the SP answered is on the SP or the IdP, and none is scheme-relative. */
function expectSameOrigin(watch: Watch, value: string): void {
  const shown = JSON.stringify(value)
  expect(watch.offSite, `return path ${shown}`).toEqual([])
  for (const { from, location } of watch.spLocations) {
    expect(hasControlCharacter(location), `${from} → ${JSON.stringify(location)}`).toBe(false)
    if (!/^[a-z][a-z0-9+.-]*:/i.test(location)) {
      expect(location, `${from}: a path, for return path ${shown}`).toMatch(/^\/(?![/\\])/)
    }
    const origin = new URL(location, from).origin
    expect([spUrl, idpUrl], `${from} → ${location} for return path ${shown}`).toContain(origin)
  }
}

function hasControlCharacter(value: string): boolean {
  return [...value].some((character) => /[\p{Cc}]/u.test(character))
}

/** At the IdP's login form, sign in as `user` (a no-op where the IdP signed in without one). */
async function logInAtIdp(browser: UserAgent, page: Page, user: string): Promise<Page> {
  if (!page.document.querySelector('#login-form')) return page
  return browser.submit(page, '#login-form', { username: user }, { name: 'action', value: 'login' })
}

async function signIn(browser: UserAgent, path: string, user = 'alice'): Promise<Page> {
  return logInAtIdp(browser, await browser.navigate(`${spUrl}${path}`), user)
}

const query = (value: string) => encodeURIComponent(value)

interface Endpoint {
  name: string
  pair: 'saml' | 'jwt' | 'oidc' | 'agents'
  drive: (browser: UserAgent, value: string, pair: AnyPair) => Promise<unknown>
}

type AnyPair = Awaited<ReturnType<typeof createInProcessPair>>

/** Every endpoint of the SP that takes a return path, and how a browser brings it one. */
const endpoints: Endpoint[] = [
  {
    name: 'GET /login?return_url (SAML: RelayState and pending request → ACS)',
    pair: 'saml',
    drive: (browser, value) => signIn(browser, `/login?return_url=${query(value)}`),
  },
  {
    name: 'IdP-initiated RelayState → ACS',
    pair: 'saml',
    drive: async (browser, value, pair) => {
      const start = new URL('/saml/idp-initiated', idpUrl)
      start.searchParams.set('sp', pair.sp.config.entityId)
      start.searchParams.set('RelayState', value)
      return logInAtIdp(browser, await browser.navigate(start.href), 'alice')
    },
  },
  {
    name: 'POST /logout?return_url, no session',
    pair: 'saml',
    drive: async (browser, value) =>
      browser.navigate(`${spUrl}/logout?return_url=${query(value)}`, {
        method: 'POST',
        form: { form_token: await formToken(browser) },
        from: `${spUrl}/`,
      }),
  },
  {
    name: 'POST /logout return_url (form), signed in: RelayState → IdP → /saml/slo',
    pair: 'saml',
    drive: async (browser, value) => {
      await signIn(browser, '/login')
      return browser.navigate(`${spUrl}/logout`, {
        method: 'POST',
        form: { form_token: await formToken(browser), return_url: value },
        from: `${spUrl}/`,
      })
    },
  },
  {
    name: 'GET /saml/slo LogoutResponse with any RelayState (signed by the IdP)',
    pair: 'saml',
    drive: async (browser, value, pair) => {
      await signIn(browser, '/login')
      const toIdp = await browser.request(`${spUrl}/logout`, {
        method: 'POST',
        form: { form_token: await formToken(browser) },
        from: `${spUrl}/`,
      })
      const atIdp = await browser.request(toIdp.headers.get('location') ?? '', {
        from: `${spUrl}/`,
      })
      const back = atIdp.headers.get('location') ?? ''
      const decoded = decodeRedirect(back.split('?')[1] ?? '', 'SAMLResponse')
      const resent = encodeLogout({
        endpoint: {
          binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
          location: back.split('?')[0] ?? '',
        },
        param: 'SAMLResponse',
        xml: decoded.xml,
        id: 'resent',
        relayState: value,
        credential: pair.keys.idp,
      })
      if (resent.binding !== 'redirect') throw new Error('expected an HTTP-Redirect logout')
      return browser.navigate(resent.url, { from: `${idpUrl}/` })
    },
  },
  {
    name: 'POST /messenger/logout return_url → /logout',
    pair: 'saml',
    drive: async (browser, value) =>
      browser.navigate(`${spUrl}/messenger/logout`, {
        method: 'POST',
        form: { form_token: await formToken(browser), return_url: value },
        from: `${spUrl}/messenger`,
      }),
  },
  {
    name: 'GET /login?return_url (JWT: callback return_url)',
    pair: 'jwt',
    drive: (browser, value) => signIn(browser, `/login?return_url=${query(value)}`),
  },
  {
    name: 'GET /jwt/callback?token&return_url',
    pair: 'jwt',
    drive: async (browser, value) => {
      const toIdp = await browser.navigate(`${spUrl}/login`)
      expect(toIdp.document.querySelector('#login-form')).not.toBeNull()
      const answer = await browser.submitOnce(toIdp, '#login-form', {
        username: 'alice',
        action: 'login',
      })
      const callback = new URL(answer.headers.get('location') ?? '', idpUrl)
      callback.searchParams.set('return_url', value)
      return browser.navigate(callback.href, { from: `${idpUrl}/` })
    },
  },
  {
    name: 'POST /logout return_url, signed in by JWT: IdP sign-off return_url',
    pair: 'jwt',
    drive: async (browser, value) => {
      await signIn(browser, '/login')
      return browser.navigate(`${spUrl}/logout`, {
        method: 'POST',
        form: { form_token: await formToken(browser), return_url: value },
        from: `${spUrl}/`,
      })
    },
  },
  {
    name: 'GET /login?return_url (OIDC: the state carries it)',
    pair: 'oidc',
    drive: (browser, value) => signIn(browser, `/login?return_url=${query(value)}`),
  },
  {
    name: 'POST /logout return_url, signed in by OIDC: end_session → /?state',
    pair: 'oidc',
    drive: async (browser, value) => {
      await signIn(browser, '/login')
      return browser.navigate(`${spUrl}/logout`, {
        method: 'POST',
        form: { form_token: await formToken(browser), return_url: value },
        from: `${spUrl}/`,
      })
    },
  },
  {
    name: 'GET /agent/login?site=1001&return_url (agent SAML ACS)',
    pair: 'agents',
    drive: (browser, value) =>
      signIn(browser, `/agent/login?site=1001&return_url=${query(value)}`, 'anna.idp'),
  },
  {
    name: 'GET /agent/login?site=2002&return_url (agent JWT)',
    pair: 'agents',
    drive: (browser, value) =>
      signIn(browser, `/agent/login?site=2002&return_url=${query(value)}`, 'jay.idp'),
  },
  {
    name: 'GET /agent/login?return_url, agent already signed in',
    pair: 'agents',
    drive: async (browser, value) => {
      await signIn(browser, '/agent/login?site=1001', 'anna.idp')
      return browser.navigate(`${spUrl}/agent/login?return_url=${query(value)}`)
    },
  },
  {
    name: 'POST /agent/login/password return_url (site with SSO off)',
    pair: 'agents',
    drive: async (browser, value) =>
      browser.navigate(`${spUrl}/agent/login/password?return_url=${query(value)}`, {
        method: 'POST',
        form: {
          site: '3003',
          loginName: 'ines',
          password: 'ines-password',
          return_url: value,
          form_token: await formToken(browser),
        },
        from: `${spUrl}/agent/login`,
      }),
  },
  {
    name: 'GET /agent/login/password?return_url, no site',
    pair: 'agents',
    drive: (browser, value) =>
      browser.navigate(`${spUrl}/agent/login/password?return_url=${query(value)}`),
  },
]

describe('fuzz: return paths (catalogue case 32)', () => {
  guardProcess()
  const pairs = new Map<Endpoint['pair'], AnyPair>()
  beforeAll(async () => {
    pairs.set('saml', await createInProcessPair({ sp: { allowUnsolicited: true } }))
    pairs.set('jwt', await createInProcessPair({ protocol: 'jwt' }))
    pairs.set('oidc', await createInProcessPair({ protocol: 'oidc' }))
    pairs.set('agents', await agentPair())
  })

  it.each(endpoints.map((endpoint) => [endpoint.name, endpoint] as const))(
    'every Location the SP answers stays on the SP or its IdP: %s',
    async (_name, endpoint) => {
      const pair = pairs.get(endpoint.pair)
      if (!pair) throw new Error(`no ${endpoint.pair} pair`)
      let redirected = 0
      const property = fc.asyncProperty(returnPath, async (value) => {
        const watch: Watch = { offSite: [], spLocations: [] }
        const browser = watchedBrowser({ idp: pair.idp.app.fetch, sp: pair.sp.app.fetch }, watch)
        await endpoint.drive(browser, value, pair)
        if (watch.spLocations.length > 0) redirected++
        expectSameOrigin(watch, value)
      })
      await fc.assert(property, fuzzParameters(25))
      expect(redirected, 'runs where the SP answered a redirect').toBeGreaterThan(0)
    },
    fuzzTimeoutMs,
  )
})
