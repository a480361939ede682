import type { Page } from '../../harness/http-driver/user-agent.ts'
import type { SignInAttempt } from '../../sp/diagnostics/attempt.ts'
import type { LabBrowser } from '../lab/browser.ts'
import type { CellContext, CellDefinition } from '../lab/types.ts'
import { oidcProviderPeer, type ProviderSpName } from '../peers/oidc-provider/peer.ts'
import { pageJson } from './idp-login.ts'

/**
 * From the SP's /login through oidc-provider's login and consent pages back to the SP's
 * diagnostics page; the attempt it records (every check the SP ran), accepted or not.
 */
async function signIn(
  context: CellContext,
  name: ProviderSpName,
  account: string,
  browser: LabBrowser = context.browser(),
) {
  const provider = context.env.peer(oidcProviderPeer)
  let page: Page = await browser.navigate(`${provider.spUrl(name)}/login`)
  for (let step = 0; step < 3 && page.url.startsWith(provider.issuer); step++) {
    const login = page.document.querySelector('input[name="login"]')
    page = await browser.submit(page, 'form', login ? { login: account, password: 'lab' } : {})
  }
  const attempt = pageJson<SignInAttempt>(await browser.navigate(`${page.url}.json`))
  const failed = attempt.checks.find((check) => check.outcome === 'fail')
  context.observe.equal(
    'the reference SP signed in',
    attempt.verdict === 'accepted'
      ? 'accepted'
      : `${attempt.verdict}: ${failed?.check} ${failed?.failure?.code ?? ''}`,
    'accepted',
  )
  const check = (name: string) => attempt.checks.find((entry) => entry.check === name)
  context.observe.equal(
    'the SP check: ID token signature',
    check('ID token signature')?.outcome,
    'pass',
  )
  context.observe.equal(
    'the SP check: iss (authorization response)',
    check('iss (authorization response)')?.outcome,
    'pass',
  )
  return {
    browser,
    attempt,
    alg: check('ID token alg')?.details.alg,
    sub: attempt.identity?.['external ID / NameID'],
  }
}

function algorithmCell(name: ProviderSpName, alg: string, title: string): CellDefinition {
  return {
    flow: name,
    title,
    peers: [oidcProviderPeer],
    async run(context) {
      const signedIn = await signIn(context, name, 'olivia')
      context.observe.equal('the SP check: ID token alg', signedIn.alg, alg)
      context.observe.equal('the subject the SP mapped', signedIn.sub, 'olivia')
    },
  }
}

async function sessionAt(browser: LabBrowser, spUrl: string) {
  return pageJson<{ signedIn: boolean }>(await browser.navigate(`${spUrl}/api/session`)).signedIn
}

/** oidc-provider → the reference SP (`ssoproof sp --oidc-issuer`), one SP per client setting. */
export const oidcProviderCells: CellDefinition[] = [
  algorithmCell(
    'rs256',
    'RS256',
    'RS256 ID tokens; no --id-token-alg: the algorithms come from discovery',
  ),
  algorithmCell('es256', 'ES256', 'ES256 ID tokens (--id-token-alg ES256)'),
  algorithmCell('ps256', 'PS256', 'PS256 ID tokens (--id-token-alg PS256)'),
  algorithmCell(
    'hs256',
    'HS256',
    'HS256 ID tokens keyed with the client secret (--id-token-alg HS256)',
  ),
  {
    flow: 'pairwise',
    title: 'Pairwise subject: an opaque sub, the same at each sign-in, the SP maps it',
    peers: [oidcProviderPeer],
    async run(context) {
      const first = await signIn(context, 'pairwise', 'olivia')
      context.observe.that(
        'the pairwise sub',
        first.sub,
        'opaque, not the account name',
        (sub) => typeof sub === 'string' && sub.length >= 20 && sub !== 'olivia',
      )
      const again = await signIn(context, 'pairwise', 'olivia')
      context.observe.equal('the pairwise sub at the next sign-in', again.sub, first.sub)
      const other = await signIn(context, 'pairwise', 'oscar')
      context.observe.that(
        "another account's pairwise sub",
        other.sub,
        'another one',
        (sub) => sub !== first.sub,
      )
    },
  },
  {
    flow: 'backchannel-logout',
    title:
      'Logout at oidc-provider: its logout_token ends the SP session (POST /oidc/backchannel-logout)',
    peers: [oidcProviderPeer],
    async run(context) {
      const provider = context.env.peer(oidcProviderPeer)
      const spUrl = provider.spUrl('rs256')
      const { browser } = await signIn(context, 'rs256', 'olivia')
      context.observe.equal('the SP session before', await sessionAt(browser, spUrl), true)
      const confirm = await browser.navigate(`${provider.issuer}/session/end`)
      await browser.submit(confirm, 'form', {}, { name: 'logout', value: 'yes' })
      context.observe.equal(
        'the SP session after the provider logout',
        await sessionAt(browser, spUrl),
        false,
      )
    },
  },
]
