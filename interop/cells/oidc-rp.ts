import type { CellContext, CellDefinition, PeerDefinition } from '../lab/types.ts'
import {
  authlibPeer,
  type OidcRpHandle,
  oauth4webapiPeer,
  openidClientPeer,
  type RpProfileName,
} from '../peers/oidc-rp/peers.ts'
import type { RpReport } from '../peers/oidc-rp/rp-server.ts'
import { ssoproofPeer } from '../peers/ssoproof/peer.ts'
import { pageJson, signInAtIdp } from './idp-login.ts'

type Peer = PeerDefinition<OidcRpHandle>

/** What the RP answered: its report, or the refusal its library raised (`{error}`). */
function accepted(context: CellContext, library: string, answer: RpReport | { error: string }) {
  context.observe.equal(
    `${library} accepted the answer`,
    'error' in answer ? answer.error : 'yes',
    'yes',
  )
  return answer as RpReport
}

/** Code flow with PKCE as alice, from the RP's login page to the report of what it validated. */
async function signIn(context: CellContext, peer: Peer, profile: RpProfileName) {
  const rp = context.env.peer(peer)
  const ssoproof = context.env.peer(ssoproofPeer)
  const browser = context.browser()
  const login = await browser.navigate(rp.page(profile, 'login'))
  const back = await signInAtIdp(browser, login, 'alice')
  const report = accepted(context, rp.library, pageJson<RpReport | { error: string }>(back))
  const { observe } = context
  observe.equal(`${rp.library}: ID token iss`, report.idToken.claims.iss, ssoproof.idpUrl)
  observe.equal(`${rp.library}: ID token sub`, report.idToken.claims.sub, 'alice')
  observe.that(
    `${rp.library}: ID token aud`,
    report.idToken.claims.aud,
    rp.clientId(profile),
    (aud) =>
      aud === rp.clientId(profile) || (Array.isArray(aud) && aud.includes(rp.clientId(profile))),
  )
  observe.equal(`${rp.library}: userinfo email`, report.userinfo?.email, 'alice@example.com')
  const authorize = (await ssoproof.journal(rp.clientId(profile), 'OidcAuthorize')).at(-1)
  observe.equal('the IdP journal: code_challenge_method', authorize?.codeChallengeMethod, 'S256')
  observe.equal('the IdP journal: nonce sent', authorize?.nonce, true)
  return { browser, report }
}

async function lastTokenRequest(context: CellContext, peer: Peer, profile: RpProfileName) {
  const rp = context.env.peer(peer)
  return (await context.env.peer(ssoproofPeer).journal(rp.clientId(profile), 'OidcToken')).at(-1)
}

function cellsOf(peer: Peer): CellDefinition[] {
  const clientAuthCell = (flow: RpProfileName, method: string, title: string): CellDefinition => ({
    flow,
    title,
    peers: [peer],
    async run(context) {
      const { report } = await signIn(context, peer, flow)
      context.observe.equal('ID token alg', report.idToken.alg, 'RS256')
      const token = await lastTokenRequest(context, peer, flow)
      context.observe.equal(
        'the IdP journal: client authentication',
        token?.clientAuthentication,
        method,
      )
      context.observe.equal('the IdP journal: code_verifier sent', token?.codeVerifier, true)
    },
  })
  return [
    clientAuthCell(
      'secret-basic',
      'client_secret_basic',
      'Discovery, code flow + PKCE, client_secret_basic, userinfo',
    ),
    clientAuthCell('secret-post', 'client_secret_post', 'Code flow + PKCE, client_secret_post'),
    clientAuthCell('public', 'none', 'A public client: no secret, PKCE is the proof'),
    {
      flow: 'es256',
      title: 'ID token signed ES256 (id_token_signed_response_alg), verified with the JWKS',
      peers: [peer],
      async run(context) {
        const { report } = await signIn(context, peer, 'es256')
        context.observe.equal('ID token alg', report.idToken.alg, 'ES256')
      },
    },
    {
      flow: 'refresh',
      title: 'Refresh token grant: a new ID token, validated, same sub',
      peers: [peer],
      async run(context) {
        const { browser, report } = await signIn(context, peer, 'secret-basic')
        context.observe.equal('a refresh token was issued', report.refreshToken, true)
        const rp = context.env.peer(peer)
        const answer = pageJson<RpReport | { error: string }>(
          await browser.navigate(rp.page('secret-basic', 'refresh')),
        )
        const refreshed = accepted(context, `${rp.library} (refresh)`, answer)
        context.observe.equal('refreshed ID token sub', refreshed.idToken.claims.sub, 'alice')
        context.observe.equal(
          'refreshed ID token aud',
          refreshed.idToken.claims.aud,
          rp.clientId('secret-basic'),
        )
        const token = await lastTokenRequest(context, peer, 'secret-basic')
        context.observe.equal('the IdP journal: grant_type', token?.grantType, 'refresh_token')
      },
    },
  ]
}

/** ssoproof's OpenID Connect provider → three relying-party libraries nobody here wrote. */
export const oidcRpCells: CellDefinition[] = [
  openidClientPeer,
  oauth4webapiPeer,
  authlibPeer,
].flatMap(cellsOf)
