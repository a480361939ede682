import type { Page } from '../../harness/http-driver/user-agent.ts'
import type { LabBrowser } from '../lab/browser.ts'
import type { CellContext, CellDefinition } from '../lab/types.ts'
import { type ModAuthOpenidcRp, modAuthOpenidcPeer } from '../peers/mod-auth-openidc/peer.ts'
import { ssoproofPeer } from '../peers/ssoproof/peer.ts'
import { signInAtIdp } from './idp-login.ts'

/** The environment whoami.shtml prints (mod_include's printenv: one NAME=value a line). */
function environment(page: Page): Map<string, string> {
  const pairs = page.html.split('\n').map((line) => {
    const at = line.indexOf('=')
    return [line.slice(0, at), line.slice(at + 1)] as [string, string]
  })
  return new Map(pairs.filter(([name]) => name !== ''))
}

/** What mod_auth_openidc passed to the protected page, once the IdP signed alice in. */
async function signIn(context: CellContext, rp: ModAuthOpenidcRp, browser = context.browser()) {
  const login = await browser.navigate(rp.protectedPage)
  const page = await signInAtIdp(browser, login, 'alice')
  context.observe.equal('back at the protected page', page.url, rp.protectedPage)
  const env = environment(page)
  const { observe } = context
  observe.equal('mod_auth_openidc claim sub (environment)', env.get('OIDC-CLAIM-sub'), 'alice')
  observe.equal(
    'mod_auth_openidc claim email (request header)',
    env.get('HTTP_OIDC_CLAIM_EMAIL'),
    'alice@example.com',
  )
  observe.equal(
    'mod_auth_openidc claim name (environment)',
    env.get('OIDC-CLAIM-name'),
    'Alice Andersen',
  )
  observe.equal(
    'REMOTE_USER',
    env.get('REMOTE_USER'),
    `alice@${context.env.peer(ssoproofPeer).idpUrl}`,
  )
  return { browser, env }
}

/** The kid in the header of the ID token mod_auth_openidc passed (OIDC_id_token). */
function kidOf(env: Map<string, string>): string | undefined {
  const header = env.get('OIDC_id_token')?.split('.')[0] ?? ''
  return JSON.parse(Buffer.from(header, 'base64url').toString('utf8') || '{}').kid
}

async function journal(context: CellContext, rp: ModAuthOpenidcRp, message: string) {
  return (await context.env.peer(ssoproofPeer).journal(rp.clientId, message)).at(-1)
}

/** The IdP's login form again: both mod_auth_openidc's and the IdP's session are gone. */
async function observeSignedOut(context: CellContext, browser: LabBrowser, rp: ModAuthOpenidcRp) {
  const again = await browser.navigate(rp.protectedPage)
  context.observe.equal(
    'the protected page afterwards',
    again.document.querySelector('#login-form') ? 'the IdP login form' : again.url,
    'the IdP login form',
  )
}

async function codeFlow(context: CellContext, rp: ModAuthOpenidcRp, responseMode: string) {
  await signIn(context, rp)
  const authorize = await journal(context, rp, 'OidcAuthorize')
  context.observe.equal(
    'the IdP journal: code_challenge_method',
    authorize?.codeChallengeMethod,
    'S256',
  )
  context.observe.equal('the IdP journal: response_mode', authorize?.responseMode, responseMode)
  const token = await journal(context, rp, 'OidcToken')
  context.observe.equal(
    'the IdP journal: client authentication',
    token?.clientAuthentication,
    'client_secret_basic',
  )
  context.observe.equal('the IdP journal: code_verifier sent', token?.codeVerifier, true)
  const userinfo = await journal(context, rp, 'OidcUserinfo')
  context.observe.equal('the IdP journal: userinfo fetched', userinfo?.message, 'OidcUserinfo')
}

const rps = (context: CellContext) => context.env.peer(modAuthOpenidcPeer)

export const modAuthOpenidcCells: CellDefinition[] = [
  {
    flow: 'code-pkce',
    title:
      'Discovery, code flow + PKCE S256, client_secret_basic, userinfo; claims as headers and environment',
    peers: [modAuthOpenidcPeer],
    run: (context) => codeFlow(context, rps(context).query, 'query'),
  },
  {
    flow: 'form-post',
    title: 'OIDCResponseMode form_post: the code comes back in a self-posting form',
    peers: [modAuthOpenidcPeer],
    run: (context) => codeFlow(context, rps(context).formPost, 'form_post'),
  },
  {
    flow: 'refresh',
    title: "mod_auth_openidc's refresh hook: refresh_token grant, a new access token",
    peers: [modAuthOpenidcPeer],
    async run(context) {
      const rp = rps(context).query
      const { browser, env } = await signIn(context, rp)
      const before = env.get('OIDC_access_token') ?? ''
      const hook = new URL(rp.redirectUri)
      hook.searchParams.set('refresh', rp.protectedPage)
      hook.searchParams.set('access_token', before)
      const page = await browser.navigate(hook.href)
      const after = environment(page).get('OIDC_access_token')
      context.observe.that(
        'the access token after the refresh hook',
        after,
        'a new one',
        (token) => Boolean(token) && token !== before,
      )
      const token = await journal(context, rp, 'OidcToken')
      context.observe.equal('the IdP journal: grant_type', token?.grantType, 'refresh_token')
    },
  },
  {
    flow: 'key-rotation',
    title: 'The IdP rotates its signing key: mod_auth_openidc refetches the JWKS for the new kid',
    peers: [modAuthOpenidcPeer],
    async run(context) {
      const rp = rps(context).query
      const ssoproof = context.env.peer(ssoproofPeer)
      const before = kidOf((await signIn(context, rp)).env)
      const rotated = (await ssoproof.admin('/keys/rotate', { algorithm: 'RS256' })) as {
        key: { kid: string }
      }
      context.observe.that('the rotated key', rotated.key.kid, 'a new kid', (kid) => kid !== before)
      // A fresh browser: mod_auth_openidc's cached JWKS does not hold the new kid yet.
      const after = kidOf((await signIn(context, rp)).env)
      context.observe.equal(
        'the kid of the ID token mod_auth_openidc accepted',
        after,
        rotated.key.kid,
      )
    },
  },
  {
    flow: 'rp-logout',
    title:
      'RP-initiated logout: mod_auth_openidc sends id_token_hint to end_session and comes back',
    peers: [modAuthOpenidcPeer],
    async run(context) {
      const rp = rps(context).query
      const { browser } = await signIn(context, rp)
      const logout = new URL(rp.redirectUri)
      logout.searchParams.set('logout', rp.signedOutPage)
      const page = await browser.navigate(logout.href)
      context.observe.equal('where logout ends', page.url.split('?')[0], rp.signedOutPage)
      await observeSignedOut(context, browser, rp)
    },
  },
  {
    flow: 'backchannel-logout',
    title: "The IdP ends the session (POST /admin/logout): a logout_token ends mod_auth_openidc's",
    peers: [modAuthOpenidcPeer],
    async run(context) {
      const rp = rps(context).query
      const { browser } = await signIn(context, rp)
      const answer = (await context.env
        .peer(ssoproofPeer)
        .admin('/logout', { userId: 'alice' })) as {
        backChannel: Array<{ party: string; channel: string; outcome: string }>
      }
      const outcome = answer.backChannel.find((entry) => entry.party === rp.clientId)
      context.observe.equal(
        'the IdP: back-channel logout of mod_auth_openidc',
        outcome?.outcome,
        'confirmed',
      )
      await observeSignedOut(context, browser, rp)
    },
  },
]
