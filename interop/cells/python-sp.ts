import { nameIdFormats } from '../../core/saml/constants.ts'
import type { LabBrowser } from '../lab/browser.ts'
import type { CellContext, CellDefinition, PeerDefinition } from '../lab/types.ts'
import type { PythonSpHandle } from '../peers/python-sp/peer.ts'
import { ssoproofPeer } from '../peers/ssoproof/peer.ts'
import { pageJson, signInAtIdp } from './idp-login.ts'

/** What host.py's /whoami reports from the library's own session. */
interface WhoAmI {
  signedIn: boolean
  nameId?: string
  nameIdFormat?: string | null
  issuer?: string
  sessionIndex?: string | null
  attributes?: Record<string, string[]>
  encryptedAssertion?: boolean
}

type Peer = PeerDefinition<PythonSpHandle>

async function whoami(browser: LabBrowser, sp: PythonSpHandle): Promise<WhoAmI> {
  return pageJson<WhoAmI>(await browser.navigate(sp.whoamiUrl))
}

/** SP-initiated sign-in of alice; the library's session, with its refusal when there is none. */
async function signIn(
  context: CellContext,
  peer: Peer,
  options: { format?: string; binding?: 'post' | 'artifact' } = {},
  browser: LabBrowser = context.browser(),
) {
  const sp = context.env.peer(peer)
  const login = await browser.navigate(sp.loginUrl(options))
  const landed = await signInAtIdp(browser, login, 'alice')
  const who = await whoami(browser, sp)
  if (!who.signedIn) {
    const refused = pageJson<{ error: string | null }>(await browser.navigate(sp.lastErrorUrl))
    throw new Error(
      `${peer.title} holds no session after the sign-in (HTTP ${landed.status} at ${landed.url}): ${refused.error ?? 'no error recorded'}`,
    )
  }
  return { browser, who }
}

function observeAlice(context: CellContext, who: WhoAmI) {
  const { observe } = context
  observe.equal('the SP session: signed in', who.signedIn, true)
  observe.equal('the SP session: issuer', who.issuer, context.env.peer(ssoproofPeer).idpEntityId)
  const mail = who.attributes?.email ?? who.attributes?.mail
  observe.equal('the SP session: attribute email (or mail)', mail, ['alice@example.com'])
  observe.that('the SP session: SessionIndex', who.sessionIndex, 'present', Boolean)
}

async function lastFromSp(context: CellContext, peer: Peer, message: string) {
  const ssoproof = context.env.peer(ssoproofPeer)
  return (await ssoproof.journal(context.env.peer(peer).entityId, message)).at(-1)
}

/** The IdP's login form stands where a signed-in browser would have been let through. */
function observeIdpSessionEnded(
  context: CellContext,
  page: { document: { querySelector(s: string): unknown }; url: string },
) {
  context.observe.equal(
    'signing in again (the IdP session has ended)',
    page.document.querySelector('#login-form') ? 'the IdP login form' : page.url,
    'the IdP login form',
  )
}

export type PythonSpFlow =
  | 'post'
  | 'artifact'
  | 'encrypted'
  | 'slo-sp'
  | 'slo-idp'
  | 'nameid-persistent'
  | 'nameid-transient'
  | 'nameid-email'
  | 'idp-initiated'
  | 'legacy-crypto'

const cellsByFlow: Record<
  Exclude<PythonSpFlow, 'legacy-crypto'>,
  (peer: Peer) => CellDefinition
> = {
  post: (peer) => ({
    flow: 'post',
    title: 'SP-initiated sign-in (signed AuthnRequest by HTTP-Redirect), Response by HTTP-POST',
    peers: [peer],
    async run(context) {
      const { who } = await signIn(context, peer)
      observeAlice(context, who)
      const request = await lastFromSp(context, peer, 'AuthnRequest')
      context.observe.equal('the IdP journal: AuthnRequest signed', request?.signed, true)
    },
  }),
  artifact: (peer) => ({
    flow: 'artifact',
    title: 'Response by HTTP-Artifact: the library resolves SAMLart over SOAP at the IdP',
    peers: [peer],
    async run(context) {
      const { who } = await signIn(context, peer, { binding: 'artifact' })
      observeAlice(context, who)
      const resolve = await lastFromSp(context, peer, 'ArtifactResolve')
      context.observe.equal(
        'the IdP journal: ArtifactResolve answered with',
        resolve?.answer,
        'message',
      )
      context.observe.equal('the IdP journal: ArtifactResolve signed', resolve?.signed, true)
    },
  }),
  encrypted: (peer) => ({
    flow: 'encrypted',
    title: 'EncryptedAssertion to the encryption key of the SP metadata, decrypted by the library',
    peers: [peer],
    async run(context) {
      const sp = context.env.peer(peer)
      await sp.register(sp.encryptedMetadataUrl, { encryptAssertion: true })
      try {
        const { who } = await signIn(context, peer)
        observeAlice(context, who)
        context.observe.equal('the SP session: came encrypted', who.encryptedAssertion, true)
      } finally {
        await sp.register(sp.metadataUrl)
      }
    },
  }),
  'slo-sp': (peer) => ({
    flow: 'slo-sp',
    title:
      'SP-initiated single logout: the library takes the IdP’s LogoutResponse, both sessions end',
    peers: [peer],
    async run(context) {
      const sp = context.env.peer(peer)
      const { browser } = await signIn(context, peer)
      const done = await browser.navigate(sp.logoutUrl)
      context.observe.equal(
        'the SP page after logout',
        done.document.querySelector('#status')?.text.trim() ??
          done.document.text.replace(/\s+/g, ' ').slice(0, 200),
        'Signed out (single logout completed).',
      )
      context.observe.equal(
        'the SP session after logout',
        (await whoami(browser, sp)).signedIn,
        false,
      )
      observeIdpSessionEnded(context, await browser.navigate(sp.loginUrl()))
    },
  }),
  'slo-idp': (peer) => ({
    flow: 'slo-idp',
    title: 'IdP-initiated single logout: the library answers Success and its session ends',
    peers: [peer],
    async run(context) {
      const sp = context.env.peer(peer)
      const ssoproof = context.env.peer(ssoproofPeer)
      const { browser } = await signIn(context, peer)
      const done = await browser.submit(await browser.navigate(`${ssoproof.idpUrl}/logout`), 'form')
      const confirmed = done.document
        .querySelectorAll('#confirmed li code')
        .map((code) => code.text)
      context.observe.equal('the IdP: SPs that confirmed', confirmed, [sp.entityId])
      context.observe.equal(
        'the SP session after logout',
        (await whoami(browser, sp)).signedIn,
        false,
      )
    },
  }),
  'nameid-persistent': (peer) => ({
    flow: 'nameid-persistent',
    title: 'NameIDPolicy persistent: an opaque NameID, the same at the next sign-in',
    peers: [peer],
    async run(context) {
      const first = (await signIn(context, peer, { format: 'persistent' })).who
      const second = (await signIn(context, peer, { format: 'persistent' })).who
      const { observe } = context
      observe.equal('the SP session: NameID Format', first.nameIdFormat, nameIdFormats.persistent)
      observe.that(
        'the SP session: NameID',
        first.nameId,
        'opaque (not the user ID or email)',
        (v) => Boolean(v && v !== 'alice' && !v.includes('@')),
      )
      observe.equal('the next sign-in (a new IdP session): NameID', second.nameId, first.nameId)
    },
  }),
  'nameid-transient': (peer) => ({
    flow: 'nameid-transient',
    title: 'NameIDPolicy transient: an opaque NameID, another one at the next sign-in',
    peers: [peer],
    async run(context) {
      const first = (await signIn(context, peer, { format: 'transient' })).who
      const second = (await signIn(context, peer, { format: 'transient' })).who
      const { observe } = context
      observe.equal('the SP session: NameID Format', first.nameIdFormat, nameIdFormats.transient)
      observe.that(
        'the SP session: NameID',
        first.nameId,
        'opaque (not the user ID or email)',
        (v) => Boolean(v && v !== 'alice' && !v.includes('@')),
      )
      observe.that(
        'the next sign-in (a new IdP session): NameID',
        second.nameId,
        'another value',
        (v) => Boolean(v && v !== first.nameId),
      )
    },
  }),
  'nameid-email': (peer) => ({
    flow: 'nameid-email',
    title: 'NameIDPolicy emailAddress: the user’s address as NameID',
    peers: [peer],
    async run(context) {
      const { who } = await signIn(context, peer, { format: 'emailAddress' })
      context.observe.equal(
        'the SP session: NameID Format',
        who.nameIdFormat,
        nameIdFormats.emailAddress,
      )
      context.observe.equal('the SP session: NameID', who.nameId, 'alice@example.com')
    },
  }),
  'idp-initiated': (peer) => ({
    flow: 'idp-initiated',
    title: 'IdP-initiated sign-in: an unsolicited Response, accepted by the lax configuration',
    peers: [peer],
    async run(context) {
      const sp = context.env.peer(peer)
      const ssoproof = context.env.peer(ssoproofPeer)
      const browser = context.browser()
      const start = new URL(`${ssoproof.idpUrl}/saml/idp-initiated`)
      start.searchParams.set('sp', sp.entityId)
      await signInAtIdp(browser, await browser.navigate(start.toString()), 'alice')
      observeAlice(context, await whoami(browser, sp))
    },
  }),
}

/** An SP that signs with RSA-SHA1: refused, then let in by its registration's legacyCrypto alone. */
function legacyCryptoCell(peer: Peer): CellDefinition {
  return {
    flow: 'legacy-crypto',
    title:
      'The SP signs its AuthnRequest with RSA-SHA1: the IdP refuses it, and accepts it once that SP alone is registered with legacyCrypto',
    peers: [peer],
    async run(context) {
      const sp = context.env.peer(peer)
      const signWith = (alg: string) =>
        context.browser().navigate(`${sp.baseUrl}/lab/signature-method?alg=${alg}`)
      await signWith('rsa-sha1')
      try {
        const browser = context.browser()
        const refused = await browser.navigate(sp.loginUrl())
        context.observe.that(
          'the IdP answers the RSA-SHA1 request with HTTP',
          refused.status,
          '4xx',
          (status) => status >= 400 && status < 500,
        )
        context.observe.contains(
          'the IdP error page',
          refused.document.text,
          'SAML_SIGNATURE_ALGORITHM_FORBIDDEN',
        )
        await sp.register(sp.metadataUrl, { legacyCrypto: true })
        const { who } = await signIn(context, peer)
        observeAlice(context, who)
        const request = await lastFromSp(context, peer, 'AuthnRequest')
        context.observe.equal('the IdP journal: AuthnRequest signed', request?.signed, true)
      } finally {
        await signWith('rsa-sha256')
        await sp.register(sp.metadataUrl)
      }
    },
  }
}

/** The cells of one Python SP peer, in matrix order. */
export function pythonSpCells(peer: Peer, flows: PythonSpFlow[]): CellDefinition[] {
  return flows.map((flow) =>
    flow === 'legacy-crypto' ? legacyCryptoCell(peer) : cellsByFlow[flow](peer),
  )
}
