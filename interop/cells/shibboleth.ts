import type { Page } from '../../harness/http-driver/user-agent.ts'
import type { CellContext, CellDefinition } from '../lab/types.ts'
import { shibbolethPeer } from '../peers/shibboleth/peer.ts'
import { type SsoproofHandle, ssoproofPeer, ssoproofTlsPeer } from '../peers/ssoproof/peer.ts'
import { signInAtIdp } from './idp-login.ts'

/** Apache's environment as the protected page prints it (`NAME=value` lines, entities decoded). */
function environment(page: Page): Map<string, string> {
  const text = page.document.text
  if (page.status !== 200 || !/^Shib-Session-ID=/m.test(text)) {
    throw new Error(
      `expected the protected page with a Shibboleth session, got HTTP ${page.status} at ${page.url}: ${text.replace(/\s+/g, ' ').slice(0, 300)}`,
    )
  }
  const lines = text
    .split('\n')
    .map((line) => line.match(/^([^=\s]+)=(.*)$/))
    .filter((m) => m !== null)
  return new Map(lines.map((m) => [m[1] as string, m[2] as string]))
}

/** The IdP's login form stands where a signed-in browser would have got the page. */
function observeSignedOut(context: CellContext, what: string, page: Page) {
  const shown = page.document.querySelector('#login-form') ? 'the IdP login form' : page.url
  context.observe.equal(what, shown, 'the IdP login form')
}

/** SP-initiated sign-in of alice; what the page behind mod_shib sees. */
async function signIn(context: CellContext) {
  const shibboleth = context.env.peer(shibbolethPeer)
  const browser = context.browser()
  const login = await browser.navigate(shibboleth.protectedPage)
  const env = environment(await signInAtIdp(browser, login, 'alice'))
  return { browser, env }
}

function observeAlice(
  context: CellContext,
  env: Map<string, string>,
  ssoproof: SsoproofHandle = context.env.peer(ssoproofPeer),
) {
  const scope = new URL(ssoproof.idpUrl).hostname
  const { observe } = context
  observe.equal('Shib-Identity-Provider', env.get('Shib-Identity-Provider'), ssoproof.idpEntityId)
  observe.equal('eppn (stock attribute-map)', env.get('eppn'), `alice@${scope}`)
  observe.equal('subject-id (stock attribute-map)', env.get('subject-id'), `alice@${scope}`)
  observe.equal('REMOTE_USER', env.get('REMOTE_USER'), `alice@${scope}`)
}

const cells: CellDefinition[] = [
  {
    flow: 'post',
    title: 'SP-initiated sign-in by HTTP-POST; the stock attribute-map exposes eppn and subject-id',
    peers: [shibbolethPeer],
    async run(context) {
      const { env } = await signIn(context)
      observeAlice(context, env)
    },
  },
  {
    flow: 'artifact',
    title:
      "HTTP-Artifact with Shibboleth's defaults: resolved over its TLS back channel at `serve --tls`; its ArtifactResolve is unsigned (stock signing=false), so the IdP authenticates it by its TLS client certificate",
    peers: [shibbolethPeer],
    async run(context) {
      const shibboleth = context.env.peer(shibbolethPeer)
      const ssoproofTls = context.env.peer(ssoproofTlsPeer)
      await ssoproofTls.registerSp(shibboleth.metadataUrl, { responseBinding: 'artifact' })
      try {
        const browser = context.browser()
        const login = await browser.navigate(
          shibboleth.loginAt(ssoproofTls.idpEntityId, shibboleth.protectedPage),
        )
        const env = environment(await signInAtIdp(browser, login, 'alice'))
        observeAlice(context, env, ssoproofTls)
        const [resolve] = (await ssoproofTls.journal(shibboleth.entityId, 'ArtifactResolve')).slice(
          -1,
        )
        const { observe } = context
        observe.equal('the IdP journal: ArtifactResolve answered with', resolve?.answer, 'message')
        observe.equal(
          'the IdP journal: a TLS client certificate came with it',
          resolve?.clientCertificate,
          true,
        )
        observe.equal('the IdP journal: the ArtifactResolve was signed', resolve?.signed, false)
      } finally {
        await ssoproofTls.registerSp(shibboleth.metadataUrl)
      }
    },
  },
  {
    flow: 'encrypted',
    title: 'EncryptedAssertion to the SP encryption key of its metadata; attributes still exposed',
    peers: [shibbolethPeer],
    async run(context) {
      const shibboleth = context.env.peer(shibbolethPeer)
      const ssoproof = context.env.peer(ssoproofPeer)
      await ssoproof.registerSp(shibboleth.metadataUrl, { encryptAssertion: true })
      try {
        const { env } = await signIn(context)
        observeAlice(context, env)
      } finally {
        await ssoproof.registerSp(shibboleth.metadataUrl)
      }
    },
  },
  {
    flow: 'idp-initiated',
    title: 'IdP-initiated sign-in: an unsolicited Response, RelayState the protected page',
    peers: [shibbolethPeer],
    async run(context) {
      const shibboleth = context.env.peer(shibbolethPeer)
      const ssoproof = context.env.peer(ssoproofPeer)
      const browser = context.browser()
      const start = new URL(`${ssoproof.idpUrl}/saml/idp-initiated`)
      start.searchParams.set('sp', shibboleth.entityId)
      start.searchParams.set('RelayState', shibboleth.protectedPage)
      const login = await browser.navigate(start.toString())
      observeAlice(context, environment(await signInAtIdp(browser, login, 'alice')))
    },
  },
  {
    flow: 'slo-sp',
    title: 'SP-initiated single logout: Shibboleth reports a successful global logout',
    peers: [shibbolethPeer],
    async run(context) {
      const shibboleth = context.env.peer(shibbolethPeer)
      const { browser } = await signIn(context)
      const done = await browser.navigate(shibboleth.logoutUrl)
      context.observe.equal(
        'Shibboleth logout page',
        done.document.querySelector('title')?.text.trim(),
        'Global Logout',
      )
      context.observe.contains(
        'Shibboleth logout status',
        done.document.text,
        'Logout completed successfully',
      )
      observeSignedOut(
        context,
        'the protected page afterwards',
        await browser.navigate(shibboleth.protectedPage),
      )
    },
  },
  {
    flow: 'slo-idp',
    title: 'IdP-initiated single logout: Shibboleth confirms and its session ends',
    peers: [shibbolethPeer],
    async run(context) {
      const shibboleth = context.env.peer(shibbolethPeer)
      const ssoproof = context.env.peer(ssoproofPeer)
      const { browser } = await signIn(context)
      const done = await browser.submit(await browser.navigate(`${ssoproof.idpUrl}/logout`), 'form')
      const confirmed = done.document
        .querySelectorAll('#confirmed li code')
        .map((code) => code.text)
      context.observe.equal('the IdP: SPs that confirmed', confirmed, [shibboleth.entityId])
      observeSignedOut(
        context,
        'the protected page afterwards',
        await browser.navigate(shibboleth.protectedPage),
      )
    },
  },
]

export const shibbolethCells = cells
