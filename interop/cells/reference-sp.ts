import { nameIdFormats } from '../../core/saml/constants.ts'
import type { Page } from '../../harness/http-driver/user-agent.ts'
import type { SignInAttempt } from '../../sp/diagnostics/attempt.ts'
import type { LabBrowser } from '../lab/browser.ts'
import { formTokenOf } from '../lab/browser.ts'
import type { CellContext, CellDefinition, PeerDefinition } from '../lab/types.ts'
import { lassoIdpPeer, pysaml2IdpPeer } from '../peers/python-idp/peer.ts'
import type { IdpSpSettings } from '../peers/reference-sp/lab-idp.ts'
import { type ReferenceSpHandle, referenceSpPeer } from '../peers/reference-sp/peer.ts'
import { simpleSamlIdp } from '../peers/simplesamlphp/idp-role.ts'
import { simpleSamlPeer } from '../peers/simplesamlphp/peer.ts'
import { pageJson } from './idp-login.ts'

/** GET /api/session of the reference SP (or a campaign). */
interface SpSession {
  signedIn: boolean
  subject?: { nameId: string; nameIdFormat?: string; issuer: string }
  contact?: { id: number; externalId: string; email?: string; name?: string } | null
}

/** What the cells of one real IdP need: its reference SP peer, and what it sends differently. */
interface IdpRow {
  /** The matrix row: the IdP. */
  id: string
  title: string
  peer: PeerDefinition<ReferenceSpHandle>
  /** A mapping the IdP's attribute names miss on purpose, and the name the SP must hint at. */
  nearMiss?: { attribute: string; sentAs: string }
  /** The IdP issues a new transient NameID at every sign-in (saml-core §8.3.8). */
  freshTransients: boolean
}

const alice = 'alice@example.com'

/** A sign-in at the reference SP (`ssoproof sp`): at the IdP's login page, then its diagnostics. */
async function signIn(
  context: CellContext,
  sp: ReferenceSpHandle,
  options: { binding?: 'artifact'; user?: 'alice' | 'bob' } = {},
) {
  const browser = context.browser()
  const query = options.binding === 'artifact' ? '?binding=artifact' : ''
  const login = await browser.navigate(`${sp.spUrl}/login${query}`)
  const page = await sp.idp.logIn(browser, login, options.user ?? 'alice')
  return { browser, attempt: await attemptOf(browser, page) }
}

/** The diagnostics attempt a page of `ssoproof sp` shows, as JSON. */
async function attemptOf(browser: LabBrowser, page: Page): Promise<SignInAttempt> {
  if (!/\/diagnostics\/[\w-]+$/.test(page.url)) {
    throw new Error(
      `expected the reference SP's diagnostics page, got HTTP ${page.status} at ${page.url}: ${page.document.text.replace(/\s+/g, ' ').trim().slice(0, 300)}`,
    )
  }
  return pageJson<SignInAttempt>(await browser.request(`${page.url}.json`))
}

/** The latest attempt of this kind an SP (`ssoproof sp`, or a campaign) recorded. */
async function latestAttempt(
  browser: LabBrowser,
  spUrl: string,
  kind: SignInAttempt['kind'],
): Promise<SignInAttempt> {
  const index = await browser.request(`${spUrl}/diagnostics`)
  const id = index.document.querySelector(`tr[data-kind="${kind}"]`)?.getAttribute('data-attempt')
  if (!id) throw new Error(`${spUrl} recorded no ${kind} attempt`)
  return pageJson<SignInAttempt>(await browser.request(`${spUrl}/diagnostics/${id}.json`))
}

/** The reference SP's latest logout attempt: the message it received, accepted with no failed check. */
async function observeLogout(
  context: CellContext,
  browser: LabBrowser,
  sp: ReferenceSpHandle,
  message: 'LogoutRequest' | 'LogoutResponse',
): Promise<SignInAttempt> {
  const logout = await latestAttempt(browser, sp.spUrl, 'logout')
  context.observe.equal('reference SP: logout message', logout.logout?.message, message)
  context.observe.equal('reference SP: logout verdict', verdict(logout), 'accepted')
  context.observe.equal('reference SP: failed logout checks', failedChecks(logout), [])
  return logout
}

function verdict(attempt: SignInAttempt): string {
  return attempt.failure
    ? `${attempt.verdict}: ${attempt.failure.code} at ${attempt.failure.check} (${attempt.failure.reason})`
    : attempt.verdict
}

const failedChecks = (attempt: SignInAttempt) =>
  attempt.checks.filter((check) => check.outcome === 'fail').map((check) => check.check)

/** What the reference SP observed of an accepted sign-in, against what the IdP says it issued. */
async function observeAccepted(
  context: CellContext,
  sp: ReferenceSpHandle,
  row: IdpRow,
  browser: LabBrowser,
  attempt: SignInAttempt,
) {
  const { observe } = context
  observe.equal('reference SP: verdict', verdict(attempt), 'accepted')
  observe.equal('reference SP: failed checks', failedChecks(attempt), [])
  observe.equal('reference SP: Issuer', attempt.identity?.Issuer, sp.idp.entityId)
  observe.equal(
    `reference SP: attribute ${sp.idp.emailAttribute}`,
    attempt.attributes?.[sp.idp.emailAttribute],
    [alice],
  )
  const idpSession = await sp.idp.session(browser)
  observe.equal('IdP: this browser signed in as', idpSession.user, 'alice')
  const issued = idpSession.sps[`${sp.spUrl}/saml/metadata`]
  observe.equal(
    'reference SP: NameID, as the IdP says it issued it',
    attempt.identity?.['external ID / NameID'],
    issued?.nameId,
  )
  observe.equal(
    'reference SP: NameID Format, as the IdP says it issued it',
    attempt.identity?.['NameID Format'],
    issued?.format,
  )
  const mapping = attempt.checks.find((check) => check.check === 'Data mapping')
  if (row.nearMiss) {
    const hint = mapping?.warnings.find(
      (warning) => warning.evidence.attribute === row.nearMiss?.attribute,
    )
    observe.equal(
      `reference SP: near-miss hint for the mapped ${row.nearMiss.attribute}`,
      hint?.evidence.sentUnderAnotherName,
      [row.nearMiss.sentAs],
    )
  } else {
    observe.equal('reference SP: data mapping', mapping?.outcome, 'pass')
  }
  const session = pageJson<SpSession>(await browser.request(`${sp.spUrl}/api/session`))
  observe.equal('reference SP: session contact email', session.contact?.email, alice)
}

/** The flows every real IdP goes through at the reference SP. */
function cellsFor(row: IdpRow): CellDefinition[] {
  const cell = (
    flow: string,
    cellTitle: string,
    settings: Partial<IdpSpSettings>,
    run: (context: CellContext, sp: ReferenceSpHandle) => Promise<void>,
  ): CellDefinition => ({
    flow,
    title: cellTitle,
    peers: [row.peer],
    // The IdP's package version: the reference SP's peer has none of its own.
    row: {
      id: row.id,
      title: `${row.title} → ssoproof reference SP`,
      versionOf: row.peer.needs[0]?.id,
    },
    async run(context) {
      const sp = context.env.peer(row.peer)
      await sp.answer(settings)
      await run(context, sp)
    },
  })
  return [
    cell('post', 'SP-initiated sign-in, Response by HTTP-POST', {}, async (context, sp) => {
      const { browser, attempt } = await signIn(context, sp)
      context.observe.equal('reference SP: binding', attempt.binding, 'HTTP-POST')
      await observeAccepted(context, sp, row, browser, attempt)
    }),
    cell(
      'artifact',
      'Sign-in by HTTP-Artifact: the SP resolves SAMLart over SOAP at the IdP',
      {},
      async (context, sp) => {
        const { browser, attempt } = await signIn(context, sp, { binding: 'artifact' })
        context.observe.equal('reference SP: binding', attempt.binding, 'HTTP-Artifact')
        context.observe.equal(
          'reference SP: artifact steps',
          attempt.checks.slice(0, 3).map((check) => `${check.check} ${check.outcome}`),
          ['Artifact pass', 'ArtifactResolve pass', 'ArtifactResponse pass'],
        )
        const answer = attempt.checks.find((check) => check.check === 'ArtifactResponse')
        context.observe.equal(
          'reference SP: the IdP answered the ArtifactResolve',
          [answer?.details['HTTP status'], answer?.details.StatusCode],
          ['200', 'urn:oasis:names:tc:SAML:2.0:status:Success'],
        )
        await observeAccepted(context, sp, row, browser, attempt)
      },
    ),
    cell(
      'slo-sp',
      'SP-initiated single logout: the IdP ends its session, the SP checks its LogoutResponse',
      {},
      async (context, sp) => {
        const { browser } = await signIn(context, sp)
        await browser.navigate(`${sp.spUrl}/logout`, {
          method: 'POST',
          from: `${sp.spUrl}/`,
          form: await formTokenOf(browser, `${sp.spUrl}/`),
        })
        await observeLogout(context, browser, sp, 'LogoutResponse')
        const session = pageJson<SpSession>(await browser.request(`${sp.spUrl}/api/session`))
        context.observe.equal('reference SP: signed in after logout', session.signedIn, false)
        const idpSession = await sp.idp.session(browser)
        context.observe.equal('IdP: session after logout', idpSession.signedIn, false)
      },
    ),
    cell(
      'slo-idp',
      'IdP-initiated single logout: the SP ends the session the IdP names and confirms',
      {},
      async (context, sp) => {
        const { browser } = await signIn(context, sp)
        const outcome = await sp.idp.logout(browser)
        context.observe.equal('IdP: SPs that confirmed the logout', outcome.confirmed, [
          `${sp.spUrl}/saml/metadata`,
        ])
        context.observe.equal('IdP: SPs that refused it', outcome.failed, [])
        const logout = await observeLogout(context, browser, sp, 'LogoutRequest')
        // Every session of that NameID ends, this browser's among them (saml-core §3.7.3.2).
        const sessions = logout.checks.find((check) => check.check === 'Sessions')
        context.observe.that(
          'reference SP: sessions ended',
          sessions?.details.ended,
          'at least 1',
          (ended) => Number(ended) >= 1,
        )
        const session = pageJson<SpSession>(await browser.request(`${sp.spUrl}/api/session`))
        context.observe.equal('reference SP: signed in after logout', session.signedIn, false)
      },
    ),
    cell(
      'idp-initiated',
      'IdP-initiated sign-in: accepted by `ssoproof sp --allow-unsolicited`, refused by a campaign without it',
      {},
      async (context, sp) => {
        const { observe } = context
        const browser = context.browser()
        const login = await sp.idp.startUnsolicited(browser, `${sp.spUrl}/saml/metadata`, '/')
        // ssoproof sp shows the diagnostics of the sign-in it accepted.
        const attempt = await attemptOf(browser, await sp.idp.logIn(browser, login, 'alice'))
        const request = attempt.checks.find((check) => check.check === 'InResponseTo')
        observe.equal(
          'reference SP: InResponseTo check (unsolicited, allowed)',
          request?.outcome,
          'pass',
        )
        await observeAccepted(context, sp, row, browser, attempt)
        // The same IdP's unsolicited Response at a campaign of `serve --config`, where they are off.
        const path = new URL(sp.campaignUrl).pathname
        const other = context.browser()
        const refused = await sp.idp.logIn(
          other,
          await sp.idp.startUnsolicited(other, `${sp.campaignUrl}/saml/metadata`, `${path}/`),
          'alice',
        )
        observe.equal(
          'campaign: refused with',
          refused.document.querySelector('#error-code')?.text,
          'SAML_UNSOLICITED_NOT_ALLOWED',
        )
        const session = pageJson<SpSession>(await other.request(`${sp.campaignUrl}/api/session`))
        observe.equal('campaign: signed in', session.signedIn, false)
      },
    ),
    cell(
      'transient',
      'Transient NameIDs: two sign-ins, one account, keyed on the attribute mapped to id',
      { nameIdFormat: 'transient' },
      async (context, sp) => {
        const { observe } = context
        // bob, whom no other cell signs in: alice's account is keyed on her persistent NameID,
        // and an account is never merged into another (SP_ACCOUNT_EMAIL_CONFLICT).
        const first = await signIn(context, sp, { user: 'bob' })
        observe.equal('reference SP: first sign-in', verdict(first.attempt), 'accepted')
        observe.equal(
          'reference SP: NameID Format',
          first.attempt.identity?.['NameID Format'],
          nameIdFormats.transient,
        )
        const before = pageJson<SpSession>(await first.browser.request(`${sp.spUrl}/api/session`))
        await first.browser.navigate(`${sp.spUrl}/logout`, {
          method: 'POST',
          from: `${sp.spUrl}/`,
          form: await formTokenOf(first.browser, `${sp.spUrl}/`),
        })
        const second = await signIn(context, sp, { user: 'bob' })
        observe.equal('reference SP: second sign-in', verdict(second.attempt), 'accepted')
        const after = pageJson<SpSession>(await second.browser.request(`${sp.spUrl}/api/session`))
        observe.equal(
          'reference SP: account key (uid, not the NameID)',
          after.contact?.externalId,
          'bob',
        )
        observe.equal(
          'reference SP: the same account both times',
          after.contact?.id,
          before.contact?.id,
        )
        if (row.freshTransients) {
          observe.that(
            'IdP: a new transient NameID at the second sign-in',
            [
              first.attempt.identity?.['external ID / NameID'],
              second.attempt.identity?.['external ID / NameID'],
            ],
            'two different values',
            ([one, two]) => one !== undefined && one !== two,
          )
        }
      },
    ),
    cell(
      'encrypted',
      'EncryptedAssertion (AES-256-CBC content, RSA-OAEP key): the SP decrypts and shows what is inside',
      { encryptAssertion: true, contentEncryption: 'aes256-cbc' },
      async (context, sp) => {
        const { browser, attempt } = await signIn(context, sp)
        const assertion = attempt.checks.find((check) => check.check === 'Assertion')
        context.observe.equal(
          'reference SP: the Assertion arrived as',
          assertion?.details.form,
          'EncryptedAssertion, decrypted',
        )
        await observeAccepted(context, sp, row, browser, attempt)
      },
    ),
    cell(
      'check-all',
      '`ssoproof sp --check-all`: sign-in, single logout and sign-in over HTTP-Artifact',
      {},
      async (context, sp) => {
        const { observe } = context
        const browser = context.browser()
        const summary = async () =>
          pageJson<{
            verdict: string
            steps: Array<{ id: string; status: string; reason: string }>
          }>(await browser.request(`${sp.spUrl}/check-all/summary.json`))
        await browser.navigate(`${sp.spUrl}/check-all`)
        const first = await browser.navigate(`${sp.spUrl}/login?return_url=%2Fcheck-all`)
        await sp.idp.logIn(browser, first, 'alice')
        const guide = await browser.navigate(`${sp.spUrl}/check-all`)
        await browser.submit(guide, 'form[action="/check-all/logout"]')
        observe.equal('IdP: session after step 2', (await sp.idp.session(browser)).signedIn, false)
        const third = await browser.navigate(
          `${sp.spUrl}/login?binding=artifact&return_url=%2Fcheck-all`,
        )
        await sp.idp.logIn(browser, third, 'alice')
        const done = await summary()
        observe.equal(
          'reference SP: --check-all steps',
          done.steps.map(
            (step) =>
              `${step.id} ${step.status}${step.status === 'passed' ? '' : `: ${step.reason}`}`,
          ),
          ['sign-in passed', 'logout passed', 'artifact passed'],
        )
        observe.equal('reference SP: --check-all verdict', done.verdict, 'passed')
      },
    ),
    cell(
      'campaign',
      '`serve --config`: a visitor campaign whose idpMetadata is this IdP signs a visitor in',
      {},
      async (context, sp) => {
        const { observe } = context
        const browser = context.browser()
        const path = new URL(sp.campaignUrl).pathname
        const login = await browser.navigate(
          `${sp.campaignUrl}/login?return_url=${encodeURIComponent(`${path}/`)}`,
        )
        const home = await sp.idp.logIn(browser, login, 'alice')
        observe.equal('campaign: back at', home.url, `${sp.campaignUrl}/`)
        const session = pageJson<SpSession>(await browser.request(`${sp.campaignUrl}/api/session`))
        observe.equal('campaign: signed in', session.signedIn, true)
        observe.equal('campaign: Issuer', session.subject?.issuer, sp.idp.entityId)
        observe.equal('campaign: contact email (mapped)', session.contact?.email, alice)
        const idpSession = await sp.idp.session(browser)
        observe.equal(
          'IdP: NameID issued to the campaign',
          idpSession.sps[`${sp.campaignUrl}/saml/metadata`]?.nameId,
          session.subject?.nameId,
        )
      },
    ),
  ]
}

const pysaml2 = referenceSpPeer({ idpPeer: pysaml2IdpPeer, idp: (idp) => idp, portOffset: 70 })
const lasso = referenceSpPeer({ idpPeer: lassoIdpPeer, idp: (idp) => idp, portOffset: 73 })
const simpleSaml = referenceSpPeer({ idpPeer: simpleSamlPeer, idp: simpleSamlIdp, portOffset: 76 })

/** pysaml2 7.0 encrypts with 3DES-CBC unless told otherwise: the SP refuses, naming it. */
const pysaml2TripleDes: CellDefinition = {
  flow: 'encrypted-3des',
  title: "pysaml2's own default (3DES-CBC content) is refused: SAML_ENCRYPTION_ALGORITHM_FORBIDDEN",
  peers: [pysaml2],
  row: { id: 'pysaml2-idp', title: 'pysaml2 IdP → ssoproof reference SP' },
  async run(context) {
    const sp = context.env.peer(pysaml2)
    await sp.answer({ encryptAssertion: true, contentEncryption: 'tripledes-cbc' })
    const { browser, attempt } = await signIn(context, sp)
    context.observe.equal(
      'reference SP: refused with',
      attempt.failure?.code,
      'SAML_ENCRYPTION_ALGORITHM_FORBIDDEN',
    )
    context.observe.equal(
      'reference SP: the algorithm it names',
      attempt.failure?.evidence.algorithm,
      'http://www.w3.org/2001/04/xmlenc#tripledes-cbc',
    )
    const session = pageJson<SpSession>(await browser.request(`${sp.spUrl}/api/session`))
    context.observe.equal('reference SP: signed in', session.signedIn, false)
  },
}

export const referenceSpPeers = [pysaml2IdpPeer, lassoIdpPeer, pysaml2, lasso, simpleSaml]

export const referenceSpCells: CellDefinition[] = [
  ...cellsFor({
    id: 'pysaml2-idp',
    title: 'pysaml2 IdP',
    peer: pysaml2,
    nearMiss: { attribute: 'displayName', sentAs: 'urn:oid:2.16.840.1.113730.3.1.241' },
    // pysaml2 hands an SP the transient NameID it stored for the user earlier.
    freshTransients: false,
  }),
  pysaml2TripleDes,
  ...cellsFor({ id: 'lasso-idp', title: 'Lasso IdP', peer: lasso, freshTransients: true }),
  ...cellsFor({
    id: 'simplesamlphp-idp',
    title: 'SimpleSAMLphp IdP',
    peer: simpleSaml,
    freshTransients: true,
  }),
]
