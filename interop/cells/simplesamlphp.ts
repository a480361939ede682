import { statusCodes } from '../../core/saml/constants.ts'
import type { CellContext, CellDefinition } from '../lab/types.ts'
import { type SimpleSamlSp, simpleSamlPeer } from '../peers/simplesamlphp/peer.ts'
import { ssoproofPeer } from '../peers/ssoproof/peer.ts'
import { pageJson, signInAtIdp } from './idp-login.ts'

/** What www/sp.php reports from SimpleSAMLphp's own session. */
interface WhoAmI {
  authSource: string
  authenticated: boolean
  nameId?: {
    value: string
    format: string | null
    nameQualifier: string | null
    spNameQualifier: string | null
  }
  sessionIndex?: string
  idp?: string
  attributes?: Record<string, string[]>
}

interface LoggedOut {
  status: { Code?: string; SubCode?: string | null } | null
  authenticated: boolean
}

/** SP-initiated sign-in of alice at an authsource; what SimpleSAMLphp then holds. */
async function signIn(context: CellContext, sp: SimpleSamlSp) {
  const simplesaml = context.env.peer(simpleSamlPeer)
  const browser = context.browser()
  const login = await browser.navigate(simplesaml.page(sp, 'login'))
  const whoami = pageJson<WhoAmI>(await signInAtIdp(browser, login, 'alice'))
  observeAlice(context, whoami)
  return browser
}

function observeAlice(context: CellContext, whoami: WhoAmI) {
  const { observe } = context
  observe.equal('SimpleSAMLphp session: authenticated', whoami.authenticated, true)
  observe.equal(
    'SimpleSAMLphp session: IdP',
    whoami.idp,
    context.env.peer(ssoproofPeer).idpEntityId,
  )
  observe.equal('SimpleSAMLphp attribute email', whoami.attributes?.email, ['alice@example.com'])
  observe.that('SimpleSAMLphp session: SessionIndex', whoami.sessionIndex, 'present', Boolean)
}

/** The last AuthnRequest or ArtifactResolve the IdP's journal holds from the authsource. */
async function lastFromSp(context: CellContext, sp: SimpleSamlSp, message: string) {
  const ssoproof = context.env.peer(ssoproofPeer)
  const entries = await ssoproof.journal(context.env.peer(simpleSamlPeer).spEntityId(sp), message)
  return entries.at(-1)
}

const cells: CellDefinition[] = [
  {
    flow: 'post',
    title: 'SP-initiated sign-in, AuthnRequest by HTTP-Redirect, Response by HTTP-POST',
    peers: [simpleSamlPeer],
    async run(context) {
      await signIn(context, 'post')
      const request = await lastFromSp(context, 'post', 'AuthnRequest')
      context.observe.equal(
        'the AuthnRequest the IdP answered: binding',
        request?.binding,
        'redirect',
      )
    },
  },
  {
    flow: 'signed-authn-request',
    title: 'AuthnRequests signed (metadata AuthnRequestsSigned): the IdP verifies and answers',
    peers: [simpleSamlPeer],
    async run(context) {
      await signIn(context, 'signed')
      const request = await lastFromSp(context, 'signed', 'AuthnRequest')
      context.observe.equal('the IdP journal: AuthnRequest signed', request?.signed, true)
    },
  },
  {
    flow: 'artifact',
    title: 'Response by HTTP-Artifact: SimpleSAMLphp resolves SAMLart over SOAP at the IdP',
    peers: [simpleSamlPeer],
    async run(context) {
      await signIn(context, 'artifact')
      const resolve = await lastFromSp(context, 'artifact', 'ArtifactResolve')
      context.observe.equal(
        'the IdP journal: ArtifactResolve answered with',
        resolve?.answer,
        'message',
      )
      context.observe.equal('the IdP journal: ArtifactResolve signed', resolve?.signed, true)
    },
  },
  {
    flow: 'encrypted',
    title: 'EncryptedAssertion to an SP that refuses plaintext (assertion.encryption)',
    peers: [simpleSamlPeer],
    async run(context) {
      await signIn(context, 'encrypted')
    },
  },
  {
    flow: 'idp-initiated',
    title: 'IdP-initiated sign-in: an unsolicited Response, RelayState back to the SP page',
    peers: [simpleSamlPeer],
    async run(context) {
      const simplesaml = context.env.peer(simpleSamlPeer)
      const ssoproof = context.env.peer(ssoproofPeer)
      const browser = context.browser()
      const start = new URL(`${ssoproof.idpUrl}/saml/idp-initiated`)
      start.searchParams.set('sp', simplesaml.spEntityId('post'))
      start.searchParams.set('RelayState', simplesaml.page('post', 'whoami'))
      const login = await browser.navigate(start.toString())
      observeAlice(context, pageJson<WhoAmI>(await signInAtIdp(browser, login, 'alice')))
    },
  },
  {
    flow: 'slo-sp',
    title: 'SP-initiated single logout: SimpleSAMLphp records Success; the IdP session ends too',
    peers: [simpleSamlPeer],
    async run(context) {
      const simplesaml = context.env.peer(simpleSamlPeer)
      const browser = await signIn(context, 'post')
      const out = pageJson<LoggedOut>(await browser.navigate(simplesaml.page('post', 'logout')))
      context.observe.equal('SimpleSAMLphp logout status', out.status?.Code, statusCodes.success)
      context.observe.equal('SimpleSAMLphp session after logout', out.authenticated, false)
      const again = await browser.navigate(simplesaml.page('post', 'login'))
      context.observe.that(
        'signing in again (the IdP session has ended)',
        again.document.querySelector('#login-form') ? 'the IdP login form' : again.url,
        'the IdP login form',
        (shown) => shown === 'the IdP login form',
      )
    },
  },
  {
    flow: 'slo-idp',
    title: 'IdP-initiated single logout: SimpleSAMLphp confirms and its session ends',
    peers: [simpleSamlPeer],
    async run(context) {
      const simplesaml = context.env.peer(simpleSamlPeer)
      const ssoproof = context.env.peer(ssoproofPeer)
      const browser = await signIn(context, 'post')
      const logoutPage = await browser.navigate(`${ssoproof.idpUrl}/logout`)
      const done = await browser.submit(logoutPage, 'form')
      const confirmed = done.document
        .querySelectorAll('#confirmed li code')
        .map((code) => code.text)
      context.observe.equal('the IdP: SPs that confirmed', confirmed, [
        simplesaml.spEntityId('post'),
      ])
      const whoami = pageJson<WhoAmI>(await browser.navigate(simplesaml.page('post', 'whoami')))
      context.observe.equal('SimpleSAMLphp session after logout', whoami.authenticated, false)
    },
  },
]

export const simpleSamlCells = cells
